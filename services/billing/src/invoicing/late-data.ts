import { addMonths, parseMonth } from '../calendar/month';

/**
 * The month something is billed in (docs/product-rules.md#late-data, "nothing is dropped for arriving late"): its own
 * month, unless that month's invoice is already issued (an issued invoice never changes), then the
 * first later month without an issued invoice. The one owner of this rule: rating assigns calls
 * with it, keyed records their imports, and connection packs refuse a purchase whose month it
 * would move (docs/decisions/0007-late-data.md).
 */
export function firstOpenMonth(ownMonth: string, invoicedMonths: ReadonlySet<string>): string {
  parseMonth(ownMonth);
  let month = ownMonth;
  // Invoiced months are finite, so this ends; normally it runs zero or one time.
  while (invoicedMonths.has(month)) month = addMonths(month, 1);
  return month;
}

/** 「2026年11月」: how invoices name a month to the customer. */
export function monthLabelJa(month: string): string {
  const { year, month: m } = parseMonth(month);
  return `${year}年${m}月`;
}

/** The prefix of a line billing usage of an earlier, already invoiced month. */
export const lateLinePrefix = (originalMonth: string): string =>
  `前月以前のご利用分（${monthLabelJa(originalMonth)}） `;
