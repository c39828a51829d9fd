import holidayJp from '@holiday-jp/holiday_jp';
import { parseDate } from './month';

/** Opening hours of one weekday as minutes after local midnight, [opensAt, closesAt). */
export interface OpeningHours {
  opensAt: number;
  closesAt: number;
}

export interface BusinessCalendar {
  /** IANA zone, e.g. Asia/Tokyo: all the rules below are read in it. */
  timezone: string;
  /** Index 0 = Sunday … 6 = Saturday; null = closed weekday. */
  hours: readonly (OpeningHours | null)[];
  /** Japanese national holidays (祝日) are closed days when true. */
  nationalHolidays: boolean;
  /** The tenant's own closures (年末年始, 臨時休業), local dates YYYY-MM-DD. */
  closures: readonly string[];
}

const nineToSix: OpeningHours = { opensAt: 9 * 60, closesAt: 18 * 60 };

/** Mon–Fri 9:00–18:00, holidays closed, Tokyo: the calendar of a tenant that has not set one. */
export const defaultCalendar: BusinessCalendar = {
  timezone: 'Asia/Tokyo',
  hours: [null, nineToSix, nineToSix, nineToSix, nineToSix, nineToSix, null],
  nationalHolidays: true,
  closures: [],
};

export interface LocalTime {
  date: string;
  weekday: number;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The wall-clock date, weekday and minute of an instant in a zone, read with Intl (DST-safe, slow). */
export function localTimeIntl(instant: Date, timezone: string): LocalTime {
  const parts = wallClock(instant, timezone);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: weekdays.indexOf(parts.weekday ?? ''),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

function wallClock(instant: Date, timezone: string): Record<string, string> {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, format);
  }
  return Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
}

const BUCKET_MS = 15 * 60_000;
const offsets = new Map<string, number>();

/** The zone's UTC offset (ms) at an instant, from Intl, cached per zone and 15-minute bucket start. */
function offsetAt(timezone: string, at: number): number {
  const key = `${timezone}|${at}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const p = wallClock(new Date(at), timezone);
    const wall = Date.UTC(
      Number(p.year),
      Number(p.month) - 1,
      Number(p.day),
      Number(p.hour),
      Number(p.minute),
      Number(p.second),
    );
    offset = wall - at;
    if (offsets.size > 200_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/**
 * The wall-clock date, weekday and minute of an instant in a zone (DST-safe). Rating calls this
 * for every popup, so the zone's offset is read with Intl once per 15 minutes: when it is the
 * same at both ends of the 15 minutes around the instant it holds for the instant (zones change
 * offset at most once in such a span); otherwise Intl reads the instant itself.
 */
export function localTime(instant: Date, timezone: string): LocalTime {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError('Invalid time value');
  const bucket = Math.floor(t / BUCKET_MS) * BUCKET_MS;
  const offset = offsetAt(timezone, bucket);
  if (offset !== offsetAt(timezone, bucket + BUCKET_MS)) return localTimeIntl(instant, timezone);
  const wall = new Date(t + offset);
  const year = wall.getUTCFullYear();
  if (year < 1000 || year > 9999) return localTimeIntl(instant, timezone);
  return {
    date: `${year}-${String(wall.getUTCMonth() + 1).padStart(2, '0')}-${String(wall.getUTCDate()).padStart(2, '0')}`,
    weekday: wall.getUTCDay(),
    minutes: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
  };
}

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

export const isNationalHoliday = (date: string): boolean => {
  parseDate(date);
  return Object.hasOwn(holidayJp.holidays, date);
};

export interface NationalHoliday {
  date: string;
  name: string;
}

/** The years @holiday-jp/holiday_jp covers; closed days read them (docs/product-rules.md#closed-days). */
export const HOLIDAY_YEARS = { first: 1970, last: 2050 } as const;

/** The national holidays (祝日, 振替休日, 国民の休日) of a year, in date order; RangeError outside HOLIDAY_YEARS. */
export function nationalHolidaysOf(year: number): NationalHoliday[] {
  if (!Number.isInteger(year) || year < HOLIDAY_YEARS.first || year > HOLIDAY_YEARS.last)
    throw new RangeError(`year must be ${HOLIDAY_YEARS.first}–${HOLIDAY_YEARS.last}, got ${year}`);
  const prefix = `${year}-`;
  return Object.values(holidayJp.holidays as Record<string, { date: string; name: string }>)
    .filter((h) => h.date.startsWith(prefix))
    .map((h) => ({ date: h.date, name: h.name }))
    .sort((a, b) => (a.date < b.date ? -1 : 1));
}

/** 休業日: a closed weekday, a national holiday (when opted in) or one of the tenant's closures. */
export function isClosedDay(calendar: BusinessCalendar, date: string, weekday: number): boolean {
  return (
    calendar.hours[weekday] == null ||
    (calendar.nationalHolidays && isNationalHoliday(date)) ||
    calendar.closures.includes(date)
  );
}

export type DayKind = 'closed-day' | 'business-hours' | 'after-hours';

/** How the calendar sees the moment a call rang, read in the tenant's timezone. */
export function classifyMoment(calendar: BusinessCalendar, instant: Date): { local: LocalTime; kind: DayKind } {
  const local = localTime(instant, calendar.timezone);
  if (isClosedDay(calendar, local.date, local.weekday)) return { local, kind: 'closed-day' };
  const hours = calendar.hours[local.weekday];
  const open = hours != null && local.minutes >= hours.opensAt && local.minutes < hours.closesAt;
  return { local, kind: open ? 'business-hours' : 'after-hours' };
}

/** "09:00" ⇄ 540: the form hours take in the API. */
export function parseClock(clock: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$|^(24):(00)$/.exec(clock);
  if (!m) throw new RangeError(`"${clock}" is not a time of day (HH:MM)`);
  return Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]);
}

export const formatClock = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
