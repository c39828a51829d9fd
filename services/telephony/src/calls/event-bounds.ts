/**
 * What any source (webhook, Twilio, SIP) may put into a stored call event. The one owner of
 * these bounds: a value outside them is bad input and is refused with a 4xx before it reaches
 * Postgres, where it would fail the write (a 500, which PBXs retry, and which makes the writer
 * redo its whole batch one event at a time).
 */

// An unpaired UTF-16 surrogate. With the u flag a well-formed pair is one code point, so only
// lone halves match. JSON.stringify keeps them as "\udXXX" escapes, which jsonb refuses.
const loneSurrogate = /\p{Cs}/u;

/** Why a string cannot be stored as Postgres text / jsonb, or null when it can. */
export function textProblem(value: string): string | null {
  // Postgres text (and jsonb's \u0000) cannot hold NUL.
  if (value.includes('\u0000')) return 'NUL 文字は使えません。';
  if (loneSurrogate.test(value)) return '不正な文字 (対になっていないサロゲート) が含まれています。';
  return null;
}

/**
 * How far from its receipt an event's time may be. Late is normal: a PBX that was offline
 * replays its buffer when it comes back, and the product drops nothing for arriving late
 * (SPEC: late usage is billed on the next invoice naming its month). An office closed over
 * 年末年始 or Golden Week can be offline for more than a week, so the past bound is generous
 * (90 days); it only has to keep out dates no PBX sends (year 0000, 9999) that Postgres
 * cannot store or that would land in no sane month. The future bound allows a PBX clock
 * that is off by hours, not days.
 */
export const EVENT_MAX_AGE_DAYS = 90;
export const EVENT_MAX_AHEAD_HOURS = 24;
const DAY_MS = 86_400_000;

export type OccurredAtProblem = 'INVALID' | 'TOO_OLD' | 'IN_FUTURE';

/** Whether an event time is acceptable relative to when the event was received. */
export function occurredAtProblem(occurredAt: Date, receivedAt: Date): OccurredAtProblem | null {
  const at = occurredAt.getTime();
  if (Number.isNaN(at)) return 'INVALID';
  if (at < receivedAt.getTime() - EVENT_MAX_AGE_DAYS * DAY_MS) return 'TOO_OLD';
  if (at > receivedAt.getTime() + (EVENT_MAX_AHEAD_HOURS * DAY_MS) / 24) return 'IN_FUTURE';
  return null;
}

export const occurredAtMessages: Record<OccurredAtProblem, string> = {
  INVALID: 'occurredAt が日時として読めません。',
  TOO_OLD: `occurredAt が受信時刻より ${EVENT_MAX_AGE_DAYS} 日以上前です。`,
  IN_FUTURE: `occurredAt が受信時刻より ${EVENT_MAX_AHEAD_HOURS} 時間以上先です。端末の時計を確認してください。`,
};
