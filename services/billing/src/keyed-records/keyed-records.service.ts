import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { KeyedRecordsEvent } from '@thankstar/contracts';
import { badInput, DomainError } from '@thankstar/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { checked } from '../access/rule-errors';
import { CalendarService } from '../calendar/calendar.service';
import { parseMonth } from '../calendar/month';
import { keyedRecordsMonth, keyedRecordsTotal } from './keyed-month';

/** The month's keyed records of one tenant, and where they come from. */
export interface KeyedRecordsOfMonth {
  /** Sum of the records of customers' data-entry imports billed in the month. */
  countedImports: number;
  /** The back office's manual correction (may be negative). */
  adjustment: number;
  /** What the invoice bills: counted imports + adjustment, never below 0. */
  total: number;
}

/** One close lock per tenant and month, shared with the monthly close (invoicing.service.ts). */
const closeLock = (m: EntityManager, tenantId: string, month: string) =>
  m.query(`SELECT pg_advisory_xact_lock(hashtext('billing.close:' || $1 || ':' || $2))`, [
    tenantId.toLowerCase(),
    month,
  ]);

const invoicedMonths = async (m: EntityManager, tenantId: string, from: string): Promise<Set<string>> => {
  const rows: { month: string }[] = await m.query(
    `SELECT month FROM invoices WHERE tenant_id = $1 AND kind = 'invoice' AND status IN ('issued', 'paid') AND month >= $2`,
    [tenantId, from],
  );
  return new Set(rows.map((r) => r.month));
};

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
    const startedAt = new Date(p.startedAt);
    let placed = keyedRecordsMonth(startedAt, calendar.timezone, new Set());
    await closeLock(m, tenantId, placed.keyedMonth);
    placed = keyedRecordsMonth(startedAt, calendar.timezone, await invoicedMonths(m, tenantId, placed.keyedMonth));
    if (placed.month !== placed.keyedMonth) await closeLock(m, tenantId, placed.month);
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

  /** Keyed records of these tenants (lower-case ids) billed in `month`, in the caller's transaction. */
  async totals(m: EntityManager, tenantIds: readonly string[], month: string): Promise<Map<string, number>> {
    const rows: { tenant_id: string; counted: string; adjustment: string }[] = await m.query(
      `SELECT t.tenant_id,
              COALESCE((SELECT sum(k.records) FROM keyed_imports k WHERE k.tenant_id = t.tenant_id AND k.month = $2), 0) AS counted,
              COALESCE((SELECT a.adjustment FROM keyed_record_adjustments a WHERE a.tenant_id = t.tenant_id AND a.month = $2), 0) AS adjustment
         FROM unnest($1::uuid[]) AS t(tenant_id)`,
      [tenantIds, month],
    );
    return new Map(
      rows.map((r) => [String(r.tenant_id).toLowerCase(), keyedRecordsTotal(Number(r.counted), Number(r.adjustment))]),
    );
  }

  async ofMonth(tenantId: string, month: string, m: EntityManager = this.db.manager): Promise<KeyedRecordsOfMonth> {
    checked(() => parseMonth(month));
    const [row]: { counted: string; adjustment: string }[] = await m.query(
      `SELECT COALESCE((SELECT sum(records) FROM keyed_imports WHERE tenant_id = $1 AND month = $2), 0) AS counted,
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
    if (!Number.isSafeInteger(adjustment)) throw badInput('records must be a whole number.');
    return this.db.transaction(async (m) => {
      await closeLock(m, tenantId, month);
      if ((await invoicedMonths(m, tenantId, month)).has(month))
        throw new DomainError(
          'MONTH_INVOICED',
          `The invoice of ${month} is issued; correct it with a credit note.`,
          409,
        );
      const { countedImports } = await this.ofMonth(tenantId, month, m);
      if (countedImports + adjustment < 0)
        throw badInput(
          `The adjustment would take ${month} below 0: ${countedImports} records were counted from imports.`,
        );
      await m.query(
        `INSERT INTO keyed_record_adjustments (tenant_id, month, adjustment) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, month) DO UPDATE SET adjustment = EXCLUDED.adjustment, updated_at = now()`,
        [tenantId, month, adjustment],
      );
      return keyedRecordsTotal(countedImports, adjustment);
    });
  }
}
