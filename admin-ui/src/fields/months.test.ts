import { describe, expect, it } from 'vitest';
import {
  dateIn,
  datesBetween,
  dayStart,
  daysOfMonth,
  formatDateJa,
  formatMonthJa,
  monthIn,
  monthSoFar,
  monthsBetween,
  shiftMonth,
} from './months';

describe('months for pickers', () => {
  it('shifts across years and lists months newest first', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2025-12', 1)).toBe('2026-01');
    expect(shiftMonth('2026-11', -24)).toBe('2024-11');
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2026-02', '2026-01', '2025-12', '2025-11']);
    expect(monthsBetween('2026-03', '2026-02')).toEqual([]);
    expect(() => shiftMonth('2026-13', 1)).toThrow(RangeError);
  });

  it('reads months and days in the tenant zone, not the browser one', () => {
    // 2026-11-30 16:00 UTC is already 12-01 01:00 in Tokyo.
    const t = new Date('2026-11-30T16:00:00Z');
    expect(monthIn(t, 'Asia/Tokyo')).toBe('2026-12');
    expect(monthIn(t, 'UTC')).toBe('2026-11');
    expect(dateIn(t, 'Asia/Tokyo')).toBe('2026-12-01');
    expect(dayStart(t, 'Asia/Tokyo').toISOString()).toBe('2026-11-30T15:00:00.000Z');
    expect(dayStart(t, 'UTC').toISOString()).toBe('2026-11-30T00:00:00.000Z');
    // A DST zone: New York's 2026-03-08 began at 05:00 UTC (EST), the next day at 04:00 (EDT).
    expect(dayStart(new Date('2026-03-08T20:00:00Z'), 'America/New_York').toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    );
    expect(dayStart(new Date('2026-03-09T20:00:00Z'), 'America/New_York').toISOString()).toBe(
      '2026-03-09T04:00:00.000Z',
    );
  });

  it('holds the month under way at now', () => {
    const now = new Date('2026-11-10T03:00:00Z');
    expect(monthSoFar('2026-11', 'Asia/Tokyo', now)).toEqual({ start: new Date('2026-10-31T15:00:00Z'), end: now });
    expect(monthSoFar('2026-10', 'Asia/Tokyo', now)).toEqual({
      start: new Date('2026-09-30T15:00:00Z'),
      end: new Date('2026-10-31T15:00:00Z'),
    });
  });

  it('formats in Japanese with the weekday of the date itself', () => {
    expect(formatMonthJa('2026-01')).toBe('2026年1月');
    expect(formatDateJa('2026-11-03')).toBe('2026年11月3日（火）');
    expect(formatDateJa('not a date')).toBe('not a date');
  });

  it('lays a month out for a calendar grid', () => {
    const nov = daysOfMonth('2026-11');
    expect(nov.days).toHaveLength(30);
    expect(nov.days[0]).toBe('2026-11-01');
    expect(nov.firstWeekday).toBe(0); // 2026-11-01 is a Sunday
    expect(daysOfMonth('2028-02').days).toHaveLength(29);
  });

  it('lists the dates of a period across a month end', () => {
    expect(datesBetween('2026-11-29', '2026-12-02')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(datesBetween('2026-12-02', '2026-12-01')).toEqual([]);
  });
});
