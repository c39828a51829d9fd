import type { PopupClass } from '@thankstar/contracts';
import type { DayKind } from '../calendar/business-calendar';

export type PopupPrices = Readonly<Record<PopupClass, number>>;

/** Default per-popup prices of docs/product-rules.md#plans (both plans). */
export const defaultPopupPrices: PopupPrices = {
  CUSTOMER: 30,
  MULTIPLE_MATCHES: 30,
  UNKNOWN: 30,
  WITHHELD: 30,
  EMPLOYEE: 15,
  NUISANCE: 0,
};

/** Why a call costs nothing; NO_CONTRACT is set by rating when no contract covers the ring date. */
export type Exemption = 'CLOSED_DAY' | 'AFTER_HOURS_UNATTENDED' | 'NO_CONTRACT';

export interface RateInput {
  popupClass: PopupClass;
  prices: PopupPrices;
  /** The list-input option's surcharge per billed popup (5 yen), 0 without the per-popup option. */
  listInputSurchargeYen: number;
  /** From the tenant's business calendar at ring time. */
  dayKind: DayKind;
  /** Whether any operator client of the tenant was connected at ring time. */
  anyoneIn: boolean;
}

export interface RatedCall {
  /** Class price (0 when exempt). */
  popupYen: number;
  /** List-input surcharge, only on popups billed above 0. */
  listInputYen: number;
  amountYen: number;
  exemption: Exemption | null;
}

/**
 * The price of one call: the class price, unless it rang on a closed day or after hours with
 * nobody in; plus the list-input surcharge on every popup billed above 0 yen.
 */
export function rateCall(input: RateInput): RatedCall {
  const exemption: Exemption | null =
    input.dayKind === 'closed-day'
      ? 'CLOSED_DAY'
      : input.dayKind === 'after-hours' && !input.anyoneIn
        ? 'AFTER_HOURS_UNATTENDED'
        : null;
  const popupYen = exemption ? 0 : input.prices[input.popupClass];
  const listInputYen = popupYen > 0 ? input.listInputSurchargeYen : 0;
  return { popupYen, listInputYen, amountYen: popupYen + listInputYen, exemption };
}
