import { callEventKinds } from '@thankstar/contracts';
import { z } from 'zod';
import { callNumberOf } from '../calls/call-number';
import { occurredAtMessages, occurredAtProblem, textProblem } from '../calls/event-bounds';
import type { IncomingCallEvent } from '../calls/incoming-call-event';

/** The signed webhook's JSON body, as integrators send it. Unknown fields are ignored. */
// A string Postgres cannot store (NUL, a lone surrogate) is bad input (400), not a failed write (500).
const storable = (s: string, ctx: { addIssue(issue: { code: 'custom'; message: string }): void }) => {
  const problem = textProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};
const text = (max: number) => z.string().trim().min(1).max(max).superRefine(storable);

export const callEventBodySchema = z.object({
  callId: text(200),
  event: z.enum(callEventKinds),
  from: z.string().max(200).superRefine(storable),
  to: z.string().max(200).superRefine(storable),
  occurredAt: z.iso.datetime({ offset: true }),
  extension: text(50).nullish(),
  operatorId: text(200).nullish(),
});

export type BodyProblem = {
  code: 'INVALID_BODY' | 'INVALID_NUMBER' | 'OCCURRED_AT_OUT_OF_RANGE';
  message: string;
  issues: { path: string; message: string }[];
};

/** Reads a webhook body; `receivedAt` bounds its occurredAt (see event-bounds). */
export function parseCallEventBody(
  body: unknown,
  receivedAt: Date = new Date(),
): { ok: true; event: IncomingCallEvent } | { ok: false; problem: BodyProblem } {
  const parsed = callEventBodySchema.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      problem: {
        code: 'INVALID_BODY',
        message: 'The call event is not valid: see details.issues.',
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
      },
    };
  }
  const value = parsed.data;
  const occurredAt = new Date(value.occurredAt);
  const when = occurredAtProblem(occurredAt, receivedAt);
  if (when)
    return {
      ok: false,
      problem: {
        code: 'OCCURRED_AT_OUT_OF_RANGE',
        message: 'occurredAt が受け付けられる範囲にありません。details.issues を見てください。',
        issues: [{ path: 'occurredAt', message: occurredAtMessages[when] }],
      },
    };
  const from = callNumberOf(value.from, 'caller');
  const to = callNumberOf(value.to, 'line');
  const issues = [
    ...(from
      ? []
      : [{ path: 'from', message: 'Not a phone number or a caller-ID reason code (P, O, S, C, anonymous).' }]),
    ...(to ? [] : [{ path: 'to', message: 'Not a phone number.' }]),
  ];
  if (!from || !to)
    return {
      ok: false,
      problem: { code: 'INVALID_NUMBER', message: 'A number in the call event is not a phone number.', issues },
    };
  return {
    ok: true,
    event: {
      callId: value.callId,
      kind: value.event,
      from,
      to,
      occurredAt,
      extension: value.extension ?? null,
      operatorId: value.operatorId ?? null,
    },
  };
}
