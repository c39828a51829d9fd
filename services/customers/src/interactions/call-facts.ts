import type { PopupCustomer } from '../customers/popup-customer';
import type { Handler } from './interaction';

/**
 * What happened during a call so far, kept on the call's interaction: who handles it, the notes
 * and outcome, when it was last transferred and the profile as corrected during the call. A popup
 * is stored once, as it rang; these are joined in whenever it is read or sent again.
 */
export interface CallFacts {
  callId: string;
  handledBy: Handler[];
  notes: string | null;
  outcome: string | null;
  transferredAt: string | null;
  /** The call's customer as corrected during the call (`updateCustomer(..., callId)`), else null. */
  correctedCustomer: PopupCustomer | null;
}
