import { DEFAULT_TIME_ZONE } from '@thankstar/contracts';

/**
 * 発行日, 支払期限 and 振込先 of a qualified invoice (docs/product-rules.md, "Qualified invoice").
 * Pure: no Nest, TypeORM or kafkajs. The provider invoices from Japan, so the dates printed on an
 * invoice are Japan dates whatever the tenant's zone (an invoice issued at 2026-12-31T16:00Z is
 * dated 2027年1月1日).
 */
export type PaymentTerms = 'end-of-next-month' | 'days-after-issue';
export const PAYMENT_TERMS: readonly PaymentTerms[] = ['end-of-next-month', 'days-after-issue'];

export interface PaymentSettings {
  /** 翌月末払い, or a number of days after 発行日. */
  paymentTerms: PaymentTerms;
  /** Days after 発行日 when `paymentTerms` is days-after-issue (1–365); kept, unused, otherwise. */
  paymentTermDays: number;
  /** 振込先 as printed: bank, branch, account type and number, holder (one or more lines). */
  bankAccount: string;
}

/** The zone the provider's invoices are dated in. */
export const INVOICE_TIME_ZONE = DEFAULT_TIME_ZONE;

/** YYYY-MM-DD of an instant in a zone. */
export function localDate(at: Date, timeZone = INVOICE_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** 2027-01-01 → 2027年1月1日 */
export function japaneseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** 支払期限 of an invoice issued on `issueDate` (YYYY-MM-DD, Japan), as YYYY-MM-DD. */
export function paymentDueDate(issueDate: string, terms: Pick<PaymentSettings, 'paymentTerms' | 'paymentTermDays'>) {
  const [y, m, d] = issueDate.split('-').map(Number) as [number, number, number];
  // Date.UTC only as a calendar: day 0 of month m+2 is the last day of month m+1.
  const due =
    terms.paymentTerms === 'end-of-next-month'
      ? new Date(Date.UTC(y, m + 1, 0))
      : new Date(Date.UTC(y, m - 1, d + terms.paymentTermDays));
  return due.toISOString().slice(0, 10);
}

/** Why settings cannot be stored, or null when they can (the UI and the service check the same rule). */
export function settingsProblem(s: PaymentSettings): 'terms' | 'days' | 'bankAccount' | null {
  if (!PAYMENT_TERMS.includes(s.paymentTerms)) return 'terms';
  if (!Number.isSafeInteger(s.paymentTermDays) || s.paymentTermDays < 1 || s.paymentTermDays > 365) return 'days';
  const bank = s.bankAccount.trim();
  if (!bank || bank.length > 500) return 'bankAccount';
  return null;
}
