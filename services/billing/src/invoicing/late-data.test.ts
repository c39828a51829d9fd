import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, monthIndex } from '../calendar/month';
import { firstOpenMonth, lateLinePrefix, monthLabelJa } from './late-data';

const monthArb = fc.integer({ min: 2026 * 12, max: 2030 * 12 }).map((i) => addMonths('0000-01', i));

describe('firstOpenMonth', () => {
  it('keeps the own month when it is not invoiced, else takes the first later month not invoiced', () => {
    expect(firstOpenMonth('2026-11', new Set())).toBe('2026-11');
    expect(firstOpenMonth('2026-11', new Set(['2026-10', '2026-12']))).toBe('2026-11');
    expect(firstOpenMonth('2026-11', new Set(['2026-11']))).toBe('2026-12');
    // Across a year end, skipping every invoiced month.
    expect(firstOpenMonth('2026-11', new Set(['2026-11', '2026-12', '2027-01']))).toBe('2027-02');
  });

  it('refuses something that is not a month', () => {
    expect(() => firstOpenMonth('2026-13', new Set())).toThrow(/not a month/);
  });

  it('is never an invoiced month, never before the own month, and every month skipped is invoiced', () => {
    fc.assert(
      fc.property(monthArb, fc.uniqueArray(monthArb, { maxLength: 40 }), (own, invoiced) => {
        const set = new Set(invoiced);
        const billed = firstOpenMonth(own, set);
        expect(set.has(billed)).toBe(false);
        expect(monthIndex(billed)).toBeGreaterThanOrEqual(monthIndex(own));
        for (let m = own; m !== billed; m = addMonths(m, 1)) expect(set.has(m)).toBe(true);
      }),
    );
  });
});

describe('month labels', () => {
  it('names months the Japanese way, without a leading zero', () => {
    expect(monthLabelJa('2026-11')).toBe('2026年11月');
    expect(monthLabelJa('2027-01')).toBe('2027年1月');
    expect(lateLinePrefix('2026-11')).toBe('前月以前のご利用分（2026年11月） ');
  });
});
