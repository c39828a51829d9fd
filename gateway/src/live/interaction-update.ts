import type { InteractionChangePayload } from '@thankstar/contracts';

/** Subscription.interactionUpdates: a note, outcome or profile correction made by a colleague. */
export interface InteractionUpdate extends Omit<InteractionChangePayload, 'kind'> {
  kind: 'TAKEN' | 'UPDATED' | 'PROFILE_CORRECTED';
}

export function interactionUpdateOf(payload: InteractionChangePayload): InteractionUpdate {
  return { ...payload, kind: payload.kind.toUpperCase().replace('-', '_') as InteractionUpdate['kind'] };
}
