import { localTime } from '../calendar/business-calendar';
import { firstOpenMonth } from '../invoicing/late-data';

/**
 * The month an import's keyed records are billed in: the month its import started, in the
 * tenant's timezone (docs/product-rules.md#month-boundaries: month boundaries are the tenant's), moved by the one late-data rule
 * (`firstOpenMonth`, shared with calls and packs) when that month's invoice is already issued.
 */
export function keyedRecordsMonth(
  startedAt: Date,
  timezone: string,
  invoicedMonths: ReadonlySet<string>,
): { keyedMonth: string; month: string } {
  const keyedMonth = localTime(startedAt, timezone).date.slice(0, 7);
  return { keyedMonth, month: firstOpenMonth(keyedMonth, invoicedMonths) };
}

/** The month's keyed records: counted imports plus the manual adjustment, never below 0. */
export function keyedRecordsTotal(countedImports: number, adjustment: number): number {
  return Math.max(0, countedImports + adjustment);
}
