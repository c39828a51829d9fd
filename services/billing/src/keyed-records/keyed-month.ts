import { localTime } from '../calendar/business-calendar';
import { addMonths } from '../calendar/month';

/**
 * The month an import's keyed records are billed in: the month its import started, in the
 * tenant's timezone (SPEC §4: month boundaries are the tenant's), unless that month's invoice is
 * already issued (an issued invoice never changes): then the first later month without an issued
 * invoice, so records that arrive late are billed once, never dropped.
 */
export function keyedRecordsMonth(
  startedAt: Date,
  timezone: string,
  invoicedMonths: ReadonlySet<string>,
): { keyedMonth: string; month: string } {
  const keyedMonth = localTime(startedAt, timezone).date.slice(0, 7);
  let month = keyedMonth;
  // Invoiced months are finite, so this ends; normally it runs zero or one time.
  while (invoicedMonths.has(month)) month = addMonths(month, 1);
  return { keyedMonth, month };
}

/** The month's keyed records: counted imports plus the manual adjustment, never below 0. */
export function keyedRecordsTotal(countedImports: number, adjustment: number): number {
  return Math.max(0, countedImports + adjustment);
}
