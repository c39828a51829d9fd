import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { KeyedRecordsEvent } from '@thankstar/contracts';
import { badInput, DomainError } from '@thankstar/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { checked } from '../access/rule-errors';
import { CalendarService } from '../calendar/calendar.service';
import { parseMonth } from '../calendar/month';
import { invoicedMonths, lockMonths, placeInOpenMonths } from '../invoicing/month-locks';
import { keyedRecordsMonth, keyedRecordsTotal } from './keyed-month';

/** The month's keyed records of one tenant, and where they come from. */
export interface KeyedRecordsOfMonth {
  /**
   * Sum of the records of customers' data-entry imports keyed and billed in the month (late
   * imports of earlier months billed here are their own lines, not counted or adjusted here).
   */
  countedImports: number;
  /** The back office's manual correction (may be negative). */
  adjustment: number;
  /** What the month's own line bills: counted imports + adjustment, never below 0. */
  total: number;
}

/** A month's keyed records as the close bills them: its own, and earlier months' reported late. */
export interface KeyedRecordsBilled {
  /** Records keyed in the month itself + its adjustment, never below 0. */
  own: number;
  /** Records of earlier (already invoiced) months reported late, by the month they were keyed in. */
  late: Map<string, number>;
}

/**
 * List input per record (40 yen per record keyed by the provider's data-entry staff). The month's
 * count is the sum of the data-entry imports customers reported (`customers.keyed-records.v1`, one
 * row per import job, so a replay or a second event for the same job changes nothing) plus the back
 * office's manual adjustment (`setKeyedRecords`). The monthly close and the estimate bill the total.
 */
@Injectable()
export class KeyedRecordsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly calendars: CalendarService,
  ) {}

  /**
   * Counts one import's records, in the consumer's transaction (with its processed_events row).
   * Takes the month's close lock, so a close running now either sees the records or has issued
   * the invoice first (then the records go to the next month not invoiced).
   */
  async recordImport(event: KeyedRecordsEvent, m: EntityManager): Promise<void> {
    const tenantId = event.tenantId;
    const p = event.payload;
    const calendar = await this.calendars.get(tenantId, m);
    const { keyedMonth } = keyedRecordsMonth(new Date(p.startedAt), calendar.timezone, new Set());
    // The same placement as rated calls: under the months' shared close locks.
    const [month] = await placeInOpenMonths(m, [{ tenantId, month: keyedMonth }]);
    const placed = { keyedMonth, month: month as string };
    await m.query(
      `INSERT INTO keyed_imports (tenant_id, import_job_id, month, keyed_month, records, started_at, finished_at, outcome, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id, import_job_id) DO NOTHING`,
      [
        tenantId,
        p.importJobId,
        placed.month,
        placed.keyedMonth,
        p.records,
        p.startedAt,
        p.finishedAt,
        p.outcome,
        event.id,
      ],
    );
  }

  /**
   * Keyed records of these tenants (lower-case ids) billed in `month`, in the caller's transaction:
   * the month's own (imports keyed in it + adjustment) and, apart, the late ones of earlier months,
   * which the invoice bills as their own lines naming the month.
   */
  async billed(
    m: EntityManager,
    tenantIds: readonly string[],
    month: string,
  ): Promise<Map<string, KeyedRecordsBilled>> {
    const rows: { tenant_id: string; counted: string; adjustment: string }[] = await m.query(
      `SELECT t.tenant_id,
              COALESCE((SELECT sum(k.records) FROM keyed_imports k
                         WHERE k.tenant_id = t.tenant_id AND k.month = $2 AND k.keyed_month = $2), 0) AS counted,
              COALESCE((SELECT a.adjustment FROM keyed_record_adjustments a WHERE a.tenant_id = t.tenant_id AND a.month = $2), 0) AS adjustment
         FROM unnest($1::uuid[]) AS t(tenant_id)`,
      [tenantIds, month],
    );
    const out = new Map<string, KeyedRecordsBilled>(
      rows.map((r) => [
        String(r.tenant_id).toLowerCase(),
        { own: keyedRecordsTotal(Number(r.counted), Number(r.adjustment)), late: new Map() },
      ]),
    );
    const late: { tenant_id: string; keyed_month: string; records: string }[] = await m.query(
      `SELECT tenant_id, keyed_month, sum(records) AS records FROM keyed_imports
        WHERE tenant_id = ANY($1::uuid[]) AND month = $2 AND keyed_month <> $2
        GROUP BY tenant_id, keyed_month`,
      [tenantIds, month],
    );
    for (const r of late) out.get(String(r.tenant_id).toLowerCase())?.late.set(r.keyed_month, Number(r.records));
    return out;
  }

  async ofMonth(tenantId: string, month: string, m: EntityManager = this.db.manager): Promise<KeyedRecordsOfMonth> {
    checked(() => parseMonth(month));
    const [row]: { counted: string; adjustment: string }[] = await m.query(
      `SELECT COALESCE((SELECT sum(records) FROM keyed_imports WHERE tenant_id = $1 AND month = $2 AND keyed_month = $2), 0) AS counted,
              COALESCE((SELECT adjustment FROM keyed_record_adjustments WHERE tenant_id = $1 AND month = $2), 0) AS adjustment`,
      [tenantId, month],
    );
    const countedImports = Number(row?.counted ?? 0);
    const adjustment = Number(row?.adjustment ?? 0);
    return { countedImports, adjustment, total: keyedRecordsTotal(countedImports, adjustment) };
  }

  /**
   * The back office's correction of a month: sets the month's manual adjustment (records keyed
   * outside any counted import, or minus records an import counted wrongly), which is added to the
   * counted imports. Refused when it would take the month below 0, and for a month whose invoice is
   * issued (corrections to an issued invoice are credit notes). Returns the month's new total.
   */
  async setAdjustment(tenantId: string, month: string, adjustment: number): Promise<number> {
    checked(() => parseMonth(month));
    if (!Number.isSafeInteger(adjustment))
      throw badInput({ ja: '件数は整数で指定してください。', en: 'records must be a whole number.' });
    return this.db.transaction(async (m) => {
      await lockMonths(m, [{ tenantId, month }], 'shared');
      if ((await invoicedMonths(m, [tenantId.toLowerCase()], month)).get(tenantId.toLowerCase())?.has(month))
        throw new DomainError('MONTH_INVOICED', { month });
      const { countedImports } = await this.ofMonth(tenantId, month, m);
      if (countedImports + adjustment < 0)
        throw badInput({
          ja: `この調整では${month}の件数が0未満になります（取込で数えた件数は${countedImports}件です）。`,
          en: `The adjustment would take ${month} below 0: ${countedImports} records were counted from imports.`,
        });
      await m.query(
        `INSERT INTO keyed_record_adjustments (tenant_id, month, adjustment) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, month) DO UPDATE SET adjustment = EXCLUDED.adjustment, updated_at = now()`,
        [tenantId, month, adjustment],
      );
      return keyedRecordsTotal(countedImports, adjustment);
    });
  }
}
