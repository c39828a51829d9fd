import type { CallEventKind, PhoneNumber } from '@thankstar/contracts';
import { callNumberOf } from '../calls/call-number';
import { occurredAtProblem, textProblem } from '../calls/event-bounds';
import type { IncomingCallEvent } from '../calls/incoming-call-event';
import type { TwilioParams } from './twilio-signature';

/** Twilio's CallStatus values, as the call event they mean for us. */
const eventOfStatus: Record<string, CallEventKind> = {
  queued: 'ringing',
  ringing: 'ringing',
  'in-progress': 'answered',
  completed: 'ended',
  busy: 'missed',
  'no-answer': 'missed',
  canceled: 'missed',
  failed: 'missed',
};

/** What Twilio sends in `From` when the caller's number is hidden. */
const twilioWithheld: Record<string, NonNullable<PhoneNumber['withheldReason']>> = {
  anonymous: 'WITHHELD',
  restricted: 'WITHHELD',
  blocked: 'WITHHELD',
  '+266696687': 'WITHHELD',
  unknown: 'UNAVAILABLE',
  unavailable: 'UNAVAILABLE',
};

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() ?? '';

export function callEventOfTwilio(
  params: TwilioParams,
  receivedAt: Date,
): { ok: true; event: IncomingCallEvent } | { ok: false; message: { ja: string; en: string } } {
  const callId = one(params.CallSid);
  const kind = eventOfStatus[one(params.CallStatus).toLowerCase()];
  // Why a request is refused: Japanese (INVALID_BODY's message) and English (messageEn).
  if (!callId) return { ok: false, message: { ja: 'CallSid がありません。', en: 'CallSid is missing.' } };
  // A string Postgres cannot store (event-bounds): bad input, not a failed write.
  if (textProblem(callId) || callId.length > 200)
    return {
      ok: false,
      message: { ja: 'CallSid が Twilio の通話 ID ではありません。', en: 'CallSid is not a Twilio call id.' },
    };
  if (!kind)
    return {
      ok: false,
      message: {
        ja: `CallStatus ${JSON.stringify(one(params.CallStatus))} は Twilio の通話状態ではありません。`,
        en: `CallStatus ${JSON.stringify(one(params.CallStatus))} is not a Twilio call status.`,
      },
    };
  const rawFrom = one(params.From);
  const withheld = twilioWithheld[rawFrom.toLowerCase()];
  const from: PhoneNumber | null = withheld
    ? { raw: rawFrom, e164: null, display: null, valid: false, withheldReason: withheld }
    : callNumberOf(rawFrom, 'caller');
  const to = callNumberOf(one(params.To), 'line');
  if (!from || !to)
    return {
      ok: false,
      message: { ja: 'From または To が電話番号ではありません。', en: 'From or To is not a phone number.' },
    };
  // Status callbacks carry an RFC 2822 Timestamp; the first voice request does not. One that
  // is unreadable or far from now (event-bounds) is Twilio's clock or a forger's, not the call's.
  const timestamp = new Date(one(params.Timestamp));
  return {
    ok: true,
    event: {
      callId,
      kind,
      from,
      to,
      occurredAt: occurredAtProblem(timestamp, receivedAt) ? receivedAt : timestamp,
      extension: null,
      operatorId: null,
    },
  };
}
