import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prorateFromStart } from './proration';

describe('prorateFromStart (日割り)', () => {
  it('rounds down the days used over the days of the start month', () => {
    expect(prorateFromStart(10_000, '2026-04-15')).toBe(5_333); // 10,000 × 16/30 = 5,333.3
    expect(prorateFromStart(1_050, '2026-04-15')).toBe(560); // 1,050 × 16/30 = 560
    expect(prorateFromStart(10_000, '2026-04-01')).toBe(10_000);
    expect(prorateFromStart(10_000, '2026-02-28')).toBe(357); // 10,000 × 1/28 = 357.1
    expect(prorateFromStart(10_000, '2028-02-28')).toBe(689); // leap year: 10,000 × 2/29 = 689.6
  });

  it('never exceeds the monthly fee and falls as the start moves later', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 27 }), (fee, day) => {
        const d = (n: number) => `2026-03-${String(n).padStart(2, '0')}`;
        const a = prorateFromStart(fee, d(day));
        expect(a).toBeLessThanOrEqual(fee);
        expect(prorateFromStart(fee, d(day + 1))).toBeLessThanOrEqual(a);
        expect(Number.isInteger(a)).toBe(true);
      }),
    );
  });
});
