import type { PopupPayload } from '@thankstar/contracts';
import type { CallFacts } from '../interactions/call-facts';

/**
 * A stored popup as the operators see it now: the popup is stored once, as it was when the call
 * rang, and the live facts of the call come from its interaction (docs/architecture.md, "One
 * direction for a call"): who handles it, the notes and outcome, the latest transfer, and the
 * profile when it was corrected during the call (only for the popup's own customer). A popup whose
 * call has no interaction is shown as stored. Popups stored before the facts moved to the
 * interaction carry a transfer and a corrected profile in their payload: those are kept unless the
 * interaction has newer ones. The caller fits the result to the byte budget (fit.ts).
 */
export function withCallFacts(stored: PopupPayload, facts: CallFacts | undefined): PopupPayload {
  if (!facts) return stored;
  const corrected = facts.correctedCustomer;
  return {
    ...stored,
    handledBy: facts.handledBy,
    notes: facts.notes,
    outcome: facts.outcome,
    transferredAt: facts.transferredAt ?? stored.transferredAt ?? null,
    customer: corrected && stored.customer?.id === corrected.id ? corrected : stored.customer,
  };
}
