import type { PopupClass } from '../graphql/types';

export const popupClasses: PopupClass[] = [
  'CUSTOMER',
  'MULTIPLE_MATCHES',
  'UNKNOWN',
  'WITHHELD',
  'EMPLOYEE',
  'NUISANCE',
];

export interface UsageDayRow {
  date: string;
  class: PopupClass;
  popups: number;
  billedPopups: number;
  amountYen: number;
}

export interface ClassTotal {
  class: PopupClass;
  popups: number;
  billedPopups: number;
  amountYen: number;
}

/** The month per class (every class, in the usual order, zeros included): the table under the chart. */
export function totalsByClass(days: readonly UsageDayRow[]): ClassTotal[] {
  return popupClasses.map((c) => {
    const rows = days.filter((d) => d.class === c);
    return {
      class: c,
      popups: rows.reduce((n, d) => n + d.popups, 0),
      billedPopups: rows.reduce((n, d) => n + d.billedPopups, 0),
      amountYen: rows.reduce((n, d) => n + d.amountYen, 0),
    };
  });
}

/** Popups per day of the month and class: one entry per day of `dates` (days without popups are zeros). */
export function perDay(dates: readonly string[], days: readonly UsageDayRow[]): { date: string; byClass: number[] }[] {
  const index = new Map<string, number[]>(dates.map((d) => [d, popupClasses.map(() => 0)]));
  for (const d of days) {
    const row = index.get(d.date);
    const ci = popupClasses.indexOf(d.class);
    if (row && ci >= 0) row[ci] = (row[ci] ?? 0) + d.popups;
  }
  return dates.map((date) => ({ date, byClass: index.get(date) ?? [] }));
}
