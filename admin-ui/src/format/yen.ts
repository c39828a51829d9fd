const digits = new Intl.NumberFormat('ja-JP', { maximumFractionDigits: 0 });

/** Integer yen as `¥1,234` (half-width sign; negative amounts as `-¥1,234`). */
export function formatYen(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return '';
  return `${amount < 0 ? '-' : ''}¥${digits.format(Math.abs(amount))}`;
}
