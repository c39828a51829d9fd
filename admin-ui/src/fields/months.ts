/**
 * Months (`YYYY-MM`), days and instants as the pickers and charts use them: pure, browser-safe.
 * Months and days are read in the tenant's timezone (docs/product-rules.md#time-zones).
 */
import { monthBounds } from '../../../libs/contracts/src/rules/month-bounds';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** `2026-11` shifted by n months. */
export function shiftMonth(month: string, n: number): string {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  const index = Number(m[1]) * 12 + Number(m[2]) - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, both included, newest first (what a picker lists). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = to; m >= from && out.length < 1200; m = shiftMonth(m, -1)) out.push(m);
  return out;
}

/** The wall-clock date (`YYYY-MM-DD`) of an instant in a zone. */
export const dateIn = (instant: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);

/** The month (`YYYY-MM`) of an instant in a zone. */
export const monthIn = (instant: Date, timeZone: string): string => dateIn(instant, timeZone).slice(0, 7);

/** The zone's offset from UTC (ms) at an instant. */
function offsetAt(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(ms);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return (
    Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) -
    Math.floor(ms / 1000) * 1000
  );
}

/** The instant the local day of `instant` began in `timeZone` (local midnight; DST-safe like monthBounds). */
export function dayStart(instant: Date, timeZone: string): Date {
  const [y, m, d] = dateIn(instant, timeZone).split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d);
  const guess = naive - offsetAt(naive, timeZone);
  return new Date(naive - offsetAt(guess, timeZone));
}

/** [start, end) of a month in a zone, with end held at `now` for the month under way (charts of "so far"). */
export function monthSoFar(month: string, timeZone: string, now: Date): { start: Date; end: Date } {
  const { start, end } = monthBounds(month, timeZone);
  return { start, end: end > now ? now : end };
}

const weekdaysJa = ['日', '月', '火', '水', '木', '金', '土'];

/** 2026年11月 */
export const formatMonthJa = (month: string): string => {
  const m = MONTH.exec(month);
  if (!m) return month;
  return `${m[1]}年${Number(m[2])}月`;
};

/** 2026年11月3日（火） for a `YYYY-MM-DD` date (the weekday of the date itself, no zone involved). */
export const formatDateJa = (date: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const weekday = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay();
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日（${weekdaysJa[weekday]}）`;
};

/** The days of a month as `YYYY-MM-DD`, with the weekday of the 1st (0 = Sunday), for a calendar grid. */
export function daysOfMonth(month: string): { days: string[]; firstWeekday: number } {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  const year = Number(m[1]);
  const mon = Number(m[2]);
  const count = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  const days = Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
  return { days, firstWeekday: new Date(Date.UTC(year, mon - 1, 1)).getUTCDay() };
}

/** Every date from `from` to `to` (`YYYY-MM-DD`, both included), oldest first. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  for (let t = Date.UTC(y, m - 1, d); out.length < 400; t += 24 * 3600_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    if (date > to) break;
    out.push(date);
  }
  return out;
}
