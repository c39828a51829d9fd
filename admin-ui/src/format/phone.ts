export interface CallerNumber {
  raw: string;
  display?: string | null;
  withheldReason?: string | null;
}

const withheldJa: Record<string, string> = { WITHHELD: '非通知', UNAVAILABLE: '表示圏外', PAYPHONE: '公衆電話' };
const withheldEn: Record<string, string> = { WITHHELD: 'Withheld', UNAVAILABLE: 'Unavailable', PAYPHONE: 'Payphone' };

/** The caller as a Japanese reader expects it: 090-1234-5678, or 非通知 / 表示圏外 / 公衆電話. */
export function formatCaller(caller: CallerNumber, locale = 'ja'): string {
  if (caller.withheldReason) return (locale === 'en' ? withheldEn : withheldJa)[caller.withheldReason] ?? caller.raw;
  return caller.display ?? caller.raw;
}
