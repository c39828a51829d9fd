import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { taxPerRate } from './tax';

describe('taxPerRate', () => {
  it('computes 10% once on the sum of the lines, rounded down', () => {
    // Per line: floor(1.5)+floor(1.5) = 2; once on the sum: floor(3.0) = 3.
    const lines = [
      { amountYen: 15, taxRatePercent: 10 },
      { amountYen: 15, taxRatePercent: 10 },
    ];
    expect(taxPerRate(lines)).toEqual([{ taxRatePercent: 10, subtotalYen: 30, taxYen: 3 }]);
    expect(taxPerRate([{ amountYen: 70_813, taxRatePercent: 10 }])[0]?.taxYen).toBe(7_081);
    expect(taxPerRate([{ amountYen: 70_815, taxRatePercent: 10 }], 'half-up')[0]?.taxYen).toBe(7_082);
    expect(taxPerRate([{ amountYen: 70_814, taxRatePercent: 10 }], 'half-up')[0]?.taxYen).toBe(7_081);
  });

  it('keeps rates apart', () => {
    const out = taxPerRate([
      { amountYen: 1_000, taxRatePercent: 8 },
      { amountYen: 999, taxRatePercent: 10 },
    ]);
    expect(out).toEqual([
      { taxRatePercent: 10, subtotalYen: 999, taxYen: 99 },
      { taxRatePercent: 8, subtotalYen: 1_000, taxYen: 80 },
    ]);
  });

  it('is never negative and within one yen of the exact figure', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 30 }),
        fc.constantFrom('down', 'half-up' as const),
        (amounts, rounding) => {
          const [summary] = taxPerRate(
            amounts.map((amountYen) => ({ amountYen, taxRatePercent: 10 })),
            rounding,
          );
          const sum = amounts.reduce((a, b) => a + b, 0);
          const tax = summary?.taxYen ?? 0;
          expect(tax).toBeGreaterThanOrEqual(0);
          expect(Math.abs(tax - sum / 10)).toBeLessThan(1);
        },
      ),
    );
  });
});
