import { addMonths, monthIndex, monthOf } from '../calendar/month';
import { assertYen } from '../invoicing/proration';

export interface MinimumTerm {
  /** First and last month of the minimum term: the 12 full months after the start month. */
  firstMonth: string;
  lastMonth: string;
}

export function minimumTerm(serviceStartDate: string, termMonths = 12): MinimumTerm {
  const startMonth = monthOf(serviceStartDate);
  return { firstMonth: addMonths(startMonth, 1), lastMonth: addMonths(startMonth, termMonths) };
}

export interface EarlyTermination {
  term: MinimumTerm;
  monthsRemaining: number;
  feeYen: number;
}

/**
 * 契約違約金: monthly maintenance × the months of the minimum term after the end month (the last
 * month of service). Ending in or after the term's last month costs nothing.
 */
export function earlyTermination(
  serviceStartDate: string,
  endMonth: string,
  monthlyMaintenanceYen: number,
  termMonths = 12,
): EarlyTermination {
  assertYen(monthlyMaintenanceYen);
  const term = minimumTerm(serviceStartDate, termMonths);
  if (monthIndex(endMonth) < monthIndex(monthOf(serviceStartDate))) {
    throw new RangeError(`the end month ${endMonth} is before the service start ${serviceStartDate}`);
  }
  const monthsRemaining = Math.min(termMonths, Math.max(0, monthIndex(term.lastMonth) - monthIndex(endMonth)));
  return { term, monthsRemaining, feeYen: monthsRemaining * monthlyMaintenanceYen };
}
