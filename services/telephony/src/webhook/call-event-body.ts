import { callEventKinds } from '@thankstar/contracts';
import { z } from 'zod';
import { callNumberOf } from '../calls/call-number';
import type { IncomingCallEvent } from '../calls/incoming-call-event';

/** The signed webhook's JSON body, as integrators send it. Unknown fields are ignored. */
// Postgres text cannot hold NUL: such a string is bad input (400), not a failed write (500).
const noNul = (s: string) => !s.includes('\u0000');
const text = (max: number) => z.string().trim().min(1).max(max).refine(noNul, 'Must not contain NUL characters.');

const callEventBodySchema = z.object({
  callId: text(200),
  event: z.enum(callEventKinds),
  from: z.string().max(200),
  to: z.string().max(200),
  occurredAt: z.iso.datetime({ offset: true }),
  extension: text(50).nullish(),
  operatorId: text(200).nullish(),
});

export type BodyProblem = {
  code: 'INVALID_BODY' | 'INVALID_NUMBER';
  message: string;
  issues: { path: string; message: string }[];
};

export function parseCallEventBody(
  body: unknown,
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
      occurredAt: new Date(value.occurredAt),
      extension: value.extension ?? null,
      operatorId: value.operatorId ?? null,
    },
  };
}
