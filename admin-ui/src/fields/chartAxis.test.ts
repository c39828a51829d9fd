import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayLabel, dayOfMonth, labelledDays, niceTicks } from './chartAxis';

describe('niceTicks', () => {
  it('gives round steps from 0 up to at least the maximum', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(100)).toEqual([0, 50, 100]);
    expect(niceTicks(3, 4)).toEqual([0, 1, 2, 3]);
  });

  it('always covers the maximum with few, evenly spaced integer ticks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 2, max: 8 }), (max, count) => {
        const ticks = niceTicks(max, count);
        expect(ticks[0]).toBe(0);
        expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
        expect(ticks.length).toBeLessThanOrEqual(count * 2 + 2);
        const step = (ticks[1] ?? 0) - (ticks[0] ?? 0);
        expect(Number.isInteger(step) && step > 0).toBe(true);
        for (const [i, t] of ticks.entries()) expect(t).toBe(i * step);
      }),
    );
  });
});

describe('day labels', () => {
  it('labels every day when they fit, else every k-th from the first', () => {
    expect(labelledDays(10, 640)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(labelledDays(31, 300)).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(labelledDays(0, 640)).toEqual([]);
  });

  it('never lets two labels come closer than the gap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 100, max: 2000 }), (n, width) => {
        const shown = labelledDays(n, width, 22);
        expect(shown[0]).toBe(0);
        for (let i = 1; i < shown.length; i++)
          expect((((shown[i] ?? 0) - (shown[i - 1] ?? 0)) * width) / n).toBeGreaterThanOrEqual(22);
      }),
    );
  });

  it('writes short Japanese-style day labels', () => {
    expect(dayLabel('2026-11-03')).toBe('11/3');
    expect(dayOfMonth('2026-11-03')).toBe('3');
  });
});
