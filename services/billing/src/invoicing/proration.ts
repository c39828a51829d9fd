import { daysInMonth, monthOf, parseDate } from '../calendar/month';

/**
 * 日割り: the share of a monthly fee for the days from the service start date to the end of
 * its month, rounded down to the yen. Integer arithmetic only.
 */
export function prorateFromStart(monthlyYen: number, serviceStartDate: string): number {
  assertYen(monthlyYen);
  const days = daysInMonth(monthOf(serviceStartDate));
  const used = days - parseDate(serviceStartDate).day + 1;
  return Math.floor((monthlyYen * used) / days);
}

export function assertYen(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`${amount} is not a yen amount`);
}
