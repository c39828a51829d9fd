import type { CallEventKind, PhoneNumber } from '@thankstar/contracts';

/** One event about a call, as any source (webhook, SIP, Twilio) reports it once parsed. */
export interface IncomingCallEvent {
  callId: string;
  kind: CallEventKind;
  from: PhoneNumber;
  to: PhoneNumber;
  occurredAt: Date;
  extension: string | null;
  operatorId: string | null;
}
