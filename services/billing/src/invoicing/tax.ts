import { assertYen } from './proration';

export type TaxRounding = 'down' | 'half-up';

export interface TaxableLine {
  amountYen: number;
  /** Percent, e.g. 10 (standard) or 8 (reduced). */
  taxRatePercent: number;
}

export interface TaxSummary {
  taxRatePercent: number;
  /** 税抜 total of the lines at this rate. */
  subtotalYen: number;
  taxYen: number;
}

/**
 * 適格請求書: consumption tax is computed once per invoice per rate on the sum of that rate's
 * lines (never per line), rounded down unless the issuer chose half-up.
 */
export function taxPerRate(lines: readonly TaxableLine[], rounding: TaxRounding = 'down'): TaxSummary[] {
  const byRate = new Map<number, number>();
  for (const line of lines) {
    assertYen(line.amountYen);
    if (!Number.isInteger(line.taxRatePercent) || line.taxRatePercent < 0 || line.taxRatePercent > 100) {
      throw new RangeError(`${line.taxRatePercent} is not a tax rate`);
    }
    byRate.set(line.taxRatePercent, (byRate.get(line.taxRatePercent) ?? 0) + line.amountYen);
  }
  return [...byRate.entries()]
    .sort(([a], [b]) => b - a)
    .map(([taxRatePercent, subtotalYen]) => ({
      taxRatePercent,
      subtotalYen,
      taxYen: taxOn(subtotalYen, taxRatePercent, rounding),
    }));
}

export function taxOn(subtotalYen: number, ratePercent: number, rounding: TaxRounding): number {
  const hundredths = subtotalYen * ratePercent;
  return rounding === 'down' ? Math.floor(hundredths / 100) : Math.floor((hundredths + 50) / 100);
}
