import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths } from '../calendar/month';
import { earlyTermination, minimumTerm } from './early-termination';

describe('early termination', () => {
  it('the minimum term is the 12 full months after the start month', () => {
    expect(minimumTerm('2026-04-15')).toEqual({ firstMonth: '2026-05', lastMonth: '2027-04' });
    expect(minimumTerm('2026-11-30')).toEqual({ firstMonth: '2026-12', lastMonth: '2027-11' });
  });

  it('charges maintenance × months remaining after the end month', () => {
    // Integration plan started April 2026; term May 2026–April 2027. Ending in November
    // (month 7 of the term) leaves December–April = 5 months × 5,000 = 25,000 yen.
    expect(earlyTermination('2026-04-01', '2026-11', 5_000)).toMatchObject({ monthsRemaining: 5, feeYen: 25_000 });
    // Ending in the start month leaves all 12 months.
    expect(earlyTermination('2026-04-20', '2026-04', 10_000).feeYen).toBe(120_000);
    expect(earlyTermination('2026-04-20', '2027-04', 10_000).feeYen).toBe(0);
    expect(earlyTermination('2026-04-20', '2028-01', 10_000).feeYen).toBe(0);
    expect(() => earlyTermination('2026-04-20', '2026-03', 10_000)).toThrow();
  });

  it('months of service in the term plus months remaining is always 12', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 28 }), (served, day) => {
        const start = `2026-07-${String(day).padStart(2, '0')}`;
        const end = addMonths('2026-07', served);
        const et = earlyTermination(start, end, 10_000);
        expect(served + et.monthsRemaining).toBe(12);
        expect(et.feeYen).toBe(et.monthsRemaining * 10_000);
      }),
    );
  });
});
