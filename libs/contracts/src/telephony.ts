import { z } from 'zod';
import { envelopeSchema } from './envelope';
import { phoneNumberSchema } from './phone-number';

export const CALL_EVENTS_TOPIC = 'telephony.call-events.v1';

export const callEventKinds = ['ringing', 'answered', 'ended', 'missed', 'transferred'] as const;
export type CallEventKind = (typeof callEventKinds)[number];

export const callEventPayloadSchema = z.object({
  callId: z.string().min(1).max(200),
  event: z.enum(callEventKinds),
  from: phoneNumberSchema,
  to: phoneNumberSchema,
  /** The tenant's line that rang, when known (label such as 東京店). */
  lineLabel: z.string().nullable().optional(),
  /** Id of that line in telephony, when known. */
  lineId: z.string().uuid().nullable().optional(),
  extension: z.string().nullable().optional(),
  operatorId: z.string().nullable().optional(),
  source: z.enum(['webhook', 'sip', 'twilio', 'number-display']),
  /** When the event happened at the source. */
  at: z.string().datetime({ offset: true }),
});
export type CallEventPayload = z.infer<typeof callEventPayloadSchema>;

export const callEventSchema = envelopeSchema('telephony.call-event', callEventPayloadSchema);
export type CallEvent = z.infer<typeof callEventSchema>;

/** This service's topics and their schemas; `topics` in topics.ts merges every service's. */
export const telephonyTopics = {
  [CALL_EVENTS_TOPIC]: callEventSchema,
} as const;
