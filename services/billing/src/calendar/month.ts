/**
 * Calendar months and dates as plain strings ('YYYY-MM', 'YYYY-MM-DD'), already in the tenant's
 * timezone: money rules compare local months, never instants.
 */
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A malformed month or date; `message` in English, `ja` for the user (the service edge picks). */
export class CalendarInputError extends Error {
  readonly code = 'BAD_USER_INPUT';
  constructor(
    message: string,
    readonly ja: string,
  ) {
    super(message);
  }
}

export function parseMonth(month: string): { year: number; month: number } {
  const m = MONTH.exec(month);
  if (!m)
    throw new CalendarInputError(
      `"${month}" is not a month (YYYY-MM).`,
      `「${month}」は年月（YYYY-MM）ではありません。`,
    );
  return { year: Number(m[1]), month: Number(m[2]) };
}

export function parseDate(date: string): { year: number; month: number; day: number } {
  const m = DATE.exec(date);
  if (!m)
    throw new CalendarInputError(
      `"${date}" is not a date (YYYY-MM-DD).`,
      `「${date}」は日付（YYYY-MM-DD）ではありません。`,
    );
  const parts = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (parts.day > daysInMonth(`${m[1]}-${m[2]}`))
    throw new CalendarInputError(`"${date}" is not a date.`, `「${date}」は存在しない日付です。`);
  return parts;
}

/** Months since year 0, so month distances are plain subtraction. */
export function monthIndex(month: string): number {
  const { year, month: m } = parseMonth(month);
  return year * 12 + (m - 1);
}

export function monthFromIndex(index: number): string {
  const year = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

export const addMonths = (month: string, n: number): string => monthFromIndex(monthIndex(month) + n);

export const monthOf = (date: string): string => {
  parseDate(date);
  return date.slice(0, 7);
};

export function daysInMonth(month: string): number {
  const { year, month: m } = parseMonth(month);
  return new Date(Date.UTC(year, m, 0)).getUTCDate();
}

export const firstDay = (month: string): string => `${month}-01`;
export const lastDay = (month: string): string => `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
