import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, monthIndex } from '../calendar/month';
import { keyedRecordsMonth, keyedRecordsTotal } from './keyed-month';

describe('keyedRecordsMonth', () => {
  it("takes the import's start month in the tenant's timezone", () => {
    // 2026-10-31 15:30 UTC is 2026-11-01 00:30 in Tokyo, still October in New York.
    const startedAt = new Date('2026-10-31T15:30:00Z');
    expect(keyedRecordsMonth(startedAt, 'Asia/Tokyo', new Set())).toEqual({ keyedMonth: '2026-11', month: '2026-11' });
    expect(keyedRecordsMonth(startedAt, 'America/New_York', new Set())).toEqual({
      keyedMonth: '2026-10',
      month: '2026-10',
    });
  });

  it('moves records that arrive after their month was invoiced to the first month not invoiced', () => {
    const startedAt = new Date('2026-10-31T14:59:00Z'); // 23:59 on 31 October in Tokyo
    expect(keyedRecordsMonth(startedAt, 'Asia/Tokyo', new Set(['2026-10']))).toEqual({
      keyedMonth: '2026-10',
      month: '2026-11',
    });
    expect(keyedRecordsMonth(startedAt, 'Asia/Tokyo', new Set(['2026-09', '2026-10', '2026-11']))).toEqual({
      keyedMonth: '2026-10',
      month: '2026-12',
    });
  });

  it('never bills in an invoiced month, nor before the keyed month', () => {
    const month = fc.integer({ min: 2026 * 12, max: 2030 * 12 }).map((i) => addMonths('0000-01', i));
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom('Asia/Tokyo', 'UTC', 'America/Los_Angeles', 'Pacific/Kiritimati'),
        fc.uniqueArray(month, { maxLength: 40 }),
        (startedAt, timezone, invoiced) => {
          const set = new Set(invoiced);
          const { keyedMonth, month: billed } = keyedRecordsMonth(startedAt, timezone, set);
          expect(set.has(billed)).toBe(false);
          expect(monthIndex(billed)).toBeGreaterThanOrEqual(monthIndex(keyedMonth));
          // Every month in between is invoiced: the first free one is taken.
          for (let m = keyedMonth; m !== billed; m = addMonths(m, 1)) expect(set.has(m)).toBe(true);
        },
      ),
    );
  });
});

describe('keyedRecordsTotal', () => {
  it('adds the adjustment to the counted imports and never goes below 0', () => {
    expect(keyedRecordsTotal(120, 0)).toBe(120);
    expect(keyedRecordsTotal(120, -20)).toBe(100);
    expect(keyedRecordsTotal(0, 7)).toBe(7);
    expect(keyedRecordsTotal(3, -10)).toBe(0);
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.integer({ min: -1_000_000, max: 1_000_000 }), (counted, adjustment) => {
        const total = keyedRecordsTotal(counted, adjustment);
        expect(total).toBeGreaterThanOrEqual(0);
        expect(total).toBeGreaterThanOrEqual(counted + adjustment);
      }),
    );
  });
});
