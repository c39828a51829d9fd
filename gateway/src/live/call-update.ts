import type { CallEventPayload } from '@thankstar/contracts';

export type CallUpdateEvent = 'ANSWERED' | 'ENDED' | 'TRANSFERRED' | 'MISSED';

/** Subscription.callUpdates: what operators see of a call after its popup. */
export interface CallUpdate {
  callId: string;
  event: CallUpdateEvent;
  at: string;
  operatorId: string | null;
  extension: string | null;
  lineLabel: string | null;
}

/** The call event as operators see it; `ringing` is not an update (the popup shows it). */
export function callUpdateOf(payload: CallEventPayload): CallUpdate | undefined {
  if (payload.event === 'ringing') return undefined;
  return {
    callId: payload.callId,
    event: payload.event.toUpperCase() as CallUpdateEvent,
    at: payload.at,
    operatorId: payload.operatorId ?? null,
    extension: payload.extension ?? null,
    lineLabel: payload.lineLabel ?? null,
  };
}
