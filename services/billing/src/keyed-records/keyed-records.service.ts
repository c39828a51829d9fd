import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { KeyedRecordsEvent } from '@thankstar/contracts';
import { badInput, DomainError } from '@thankstar/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { checked } from '../access/rule-errors';
import { CalendarService } from '../calendar/calendar.service';
import { parseMonth } from '../calendar/month';
import { MonthLocks } from '../invoicing/month-locks';
import { keyedRecordsMonth, keyedRecordsTotal } from './keyed-month';
import { KeyedRecordsRepository } from './keyed-records.repository';

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
    private readonly monthLocks: MonthLocks,
    private readonly repo: KeyedRecordsRepository,
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
    const [month] = await this.monthLocks.placeInOpenMonths(m, [{ tenantId, month: keyedMonth }]);
    const placed = { keyedMonth, month: month as string };
    await this.repo.insertImport(m, tenantId, {
      importJobId: p.importJobId,
      month: placed.month,
      keyedMonth: placed.keyedMonth,
      records: p.records,
      startedAt: p.startedAt,
      finishedAt: p.finishedAt,
      outcome: p.outcome,
      eventId: event.id,
    });
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
    const own = await this.repo.ownOfTenants(m, tenantIds, month);
    const out = new Map<string, KeyedRecordsBilled>(
      [...own].map(([tenantId, r]) => [tenantId, { own: keyedRecordsTotal(r.counted, r.adjustment), late: new Map() }]),
    );
    for (const r of await this.repo.lateOfTenants(m, tenantIds, month))
      out.get(r.tenantId)?.late.set(r.keyedMonth, r.records);
    return out;
  }

  async ofMonth(tenantId: string, month: string, m: EntityManager = this.db.manager): Promise<KeyedRecordsOfMonth> {
    checked(() => parseMonth(month));
    const { counted: countedImports, adjustment } = await this.repo.ofMonth(m, tenantId, month);
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
      await this.monthLocks.lock(m, [{ tenantId, month }], 'shared');
      if (
        (await this.monthLocks.invoicedMonths(m, [tenantId.toLowerCase()], month))
          .get(tenantId.toLowerCase())
          ?.has(month)
      )
        throw new DomainError('MONTH_INVOICED', { month });
      const { countedImports } = await this.ofMonth(tenantId, month, m);
      if (countedImports + adjustment < 0)
        throw badInput({
          ja: `この調整では${month}の件数が0未満になります（取込で数えた件数は${countedImports}件です）。`,
          en: `The adjustment would take ${month} below 0: ${countedImports} records were counted from imports.`,
        });
      await this.repo.upsertAdjustment(m, tenantId, month, adjustment);
      return keyedRecordsTotal(countedImports, adjustment);
    });
  }
}
