import type { PhoneNumber, PopupClass } from '@thankstar/contracts';

/** What the lookup found about a ringing call's number. */
export interface CallerFacts {
  caller: PhoneNumber;
  /** The number is on the tenant's nuisance list (迷惑電話). */
  nuisance: boolean;
  /** The number is one of the tenant's own staff (社員). */
  employee: boolean;
  /** Customers whose stored numbers match the caller. */
  customerMatches: number;
}

export interface Classification {
  class: PopupClass;
  notesAllowed: boolean;
}

/** A caller "has a number" when it sent digits and no withheld reason (非通知, 表示圏外, 公衆電話). */
export function callerHasNumber(caller: PhoneNumber): boolean {
  return caller.withheldReason === null && /\d/.test(caller.raw.normalize('NFKC'));
}

/**
 * The class of a ringing call. The order is the rule, first match wins:
 *   1. WITHHELD         no number to look at;
 *   2. NUISANCE         on the nuisance list, even if it is also a staff or customer number
 *                       (the tenant listed it on purpose; it costs 0 yen and refuses notes);
 *   3. EMPLOYEE         a staff number, even if a customer record carries it too (billed half);
 *   4. CUSTOMER         exactly one customer matches;
 *   5. MULTIPLE_MATCHES several customers match;
 *   6. UNKNOWN          nothing matches.
 * Notes are allowed on every class except NUISANCE (docs/product-rules.md#call-classes).
 */
export function classifyCall(facts: CallerFacts): Classification {
  const cls = classOf(facts);
  return { class: cls, notesAllowed: cls !== 'NUISANCE' };
}

function classOf({ caller, nuisance, employee, customerMatches }: CallerFacts): PopupClass {
  if (!callerHasNumber(caller)) return 'WITHHELD';
  if (nuisance) return 'NUISANCE';
  if (employee) return 'EMPLOYEE';
  if (customerMatches === 1) return 'CUSTOMER';
  if (customerMatches > 1) return 'MULTIPLE_MATCHES';
  return 'UNKNOWN';
}
