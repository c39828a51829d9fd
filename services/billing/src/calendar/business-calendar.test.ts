import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyMoment,
  defaultCalendar,
  isNationalHoliday,
  localTime,
  localTimeIntl,
  nationalHolidaysOf,
  parseClock,
} from './business-calendar';

describe('business calendar', () => {
  it('reads instants in the tenant timezone', () => {
    // 2026-04-30T23:30Z is 08:30 on Friday 1 May in Tokyo.
    expect(localTime(new Date('2026-04-30T23:30:00Z'), 'Asia/Tokyo')).toEqual({
      date: '2026-05-01',
      weekday: 5,
      minutes: 8 * 60 + 30,
    });
  });

  it('reads the same wall clock as Intl in every zone, across DST changes (cached offsets)', () => {
    const zones = ['Asia/Tokyo', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        // 2020–2030, and instants within a minute of DST changes (e.g. 2026-03-08 07:00Z in New York).
        fc.oneof(
          fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
          fc.integer({ min: -120_000, max: 120_000 }).map((d) => Date.UTC(2026, 2, 8, 7) + d),
          fc.integer({ min: -120_000, max: 120_000 }).map((d) => Date.UTC(2026, 2, 29, 1) + d),
          fc.integer({ min: -120_000, max: 120_000 }).map((d) => Date.UTC(2026, 3, 4, 15) + d),
        ),
        (zone, ms) => {
          expect(localTime(new Date(ms), zone)).toEqual(localTimeIntl(new Date(ms), zone));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('knows Japanese national holidays from the data package', () => {
    expect(isNationalHoliday('2026-01-01')).toBe(true); // 元日
    expect(isNationalHoliday('2026-05-05')).toBe(true); // こどもの日
    expect(isNationalHoliday('2026-05-07')).toBe(false);
  });

  it('classifies weekdays, hours, weekends, holidays and own closures', () => {
    const at = (iso: string, cal = defaultCalendar) => classifyMoment(cal, new Date(iso)).kind;
    expect(at('2026-04-15T10:00:00+09:00')).toBe('business-hours'); // Wednesday
    expect(at('2026-04-15T08:59:00+09:00')).toBe('after-hours');
    expect(at('2026-04-15T18:00:00+09:00')).toBe('after-hours'); // closing time is exclusive
    expect(at('2026-04-18T10:00:00+09:00')).toBe('closed-day'); // Saturday
    expect(at('2026-04-29T10:00:00+09:00')).toBe('closed-day'); // 昭和の日 (Wednesday)
    expect(at('2026-04-29T10:00:00+09:00', { ...defaultCalendar, nationalHolidays: false })).toBe('business-hours');
    expect(at('2026-04-16T10:00:00+09:00', { ...defaultCalendar, closures: ['2026-04-16'] })).toBe('closed-day');
    // 01:00 UTC Wednesday = 10:00 Tokyo but 18:00 Tuesday in Los Angeles (PDT).
    expect(at('2026-04-15T01:00:00Z', { ...defaultCalendar, timezone: 'America/Los_Angeles' })).toBe('after-hours');
  });

  it('parses clock times', () => {
    expect(parseClock('09:00')).toBe(540);
    expect(parseClock('24:00')).toBe(1440);
    expect(() => parseClock('9:00')).toThrow();
  });

  it('agrees with a fixed-offset computation for Tokyo (no DST)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2050, 0, 1) }), (ms) => {
        const shifted = new Date(ms + 9 * 3600_000);
        const local = localTime(new Date(ms), 'Asia/Tokyo');
        expect(local.date).toBe(shifted.toISOString().slice(0, 10));
        expect(local.weekday).toBe(shifted.getUTCDay());
        expect(local.minutes).toBe(shifted.getUTCHours() * 60 + shifted.getUTCMinutes());
      }),
    );
  });

  it('lists a year of national holidays in date order, each one a holiday by isNationalHoliday', () => {
    const h2026 = nationalHolidaysOf(2026);
    expect(h2026[0]).toEqual({ date: '2026-01-01', name: '元日' });
    expect(h2026.map((h) => h.date)).toEqual([...h2026.map((h) => h.date)].sort());
    // 2026-05-06 is a 振替休日 (憲法記念日 fell on a Sunday); 2026-09-22 a 国民の休日 between two holidays.
    expect(h2026.find((h) => h.date === '2026-05-06')?.name).toBe('こどもの日 振替休日');
    expect(h2026.find((h) => h.date === '2026-09-22')?.name).toBe('休日');
    expect(h2026.every((h) => h.date.startsWith('2026-') && isNationalHoliday(h.date))).toBe(true);
    expect(h2026.length).toBeGreaterThanOrEqual(16);
    expect(() => nationalHolidaysOf(1969)).toThrow(RangeError);
    expect(() => nationalHolidaysOf(2051)).toThrow(RangeError);
    expect(() => nationalHolidaysOf(2026.5)).toThrow(RangeError);
  });
});
