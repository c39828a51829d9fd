import type { CallEventKind } from '@thankstar/contracts';

export const callStatuses = ['ringing', 'answered', 'missed', 'ended'] as const;
export type CallStatus = (typeof callStatuses)[number];

/**
 * How far a call has got. A call never moves to a lower rank. Missed and ended are both final;
 * a missed call becomes ended only when a late event shows someone did answer it.
 */
export const statusRank: Record<CallStatus, number> = { ringing: 0, answered: 1, missed: 2, ended: 2 };

export interface CallEventFact<P> {
  kind: CallEventKind;
  at: Date;
  from: P;
  to: P;
  extension: string | null;
  operatorId: string | null;
}

export interface CallState<P> {
  status: CallStatus;
  from: P;
  to: P;
  ringingAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  extension: string | null;
  operatorId: string | null;
}

const kindOrder: Record<CallEventKind, number> = { ringing: 0, answered: 1, transferred: 2, missed: 3, ended: 4 };
const answeredKinds: CallEventKind[] = ['answered', 'transferred'];
const finalKinds: CallEventKind[] = ['ended', 'missed'];

/** Orders numbers of any representation (raw strings, parsed objects) the same way every time. */
const numberKey = (p: unknown) => (typeof p === 'string' ? p : JSON.stringify(p));

/**
 * A total order: events that tie on time, kind, extension and operator (two sources reporting the
 * same moment with different numbers) still sort the same whatever order they arrived in.
 */
const chronological = <P>(a: CallEventFact<P>, b: CallEventFact<P>) =>
  a.at.getTime() - b.at.getTime() ||
  kindOrder[a.kind] - kindOrder[b.kind] ||
  (a.extension ?? '').localeCompare(b.extension ?? '') ||
  (a.operatorId ?? '').localeCompare(b.operatorId ?? '') ||
  numberKey(a.from).localeCompare(numberKey(b.from)) ||
  numberKey(a.to).localeCompare(numberKey(b.to));

/**
 * The state of one call from every event received for it, in any order. The state depends
 * on which events were seen, not on their arrival order, so a late or repeated event can
 * never take a call backwards:
 * - a call someone answered (answered or transferred) ends as `ended`; one nobody answered as
 *   `missed`, whether the source said "missed" or just "ended";
 * - a transfer hands the call to another extension or operator but keeps the caller: the
 *   caller is taken from the first event that is not a transfer.
 */
export function callStateOf<P>(events: readonly CallEventFact<P>[]): CallState<P> {
  const sorted = [...events].sort(chronological);
  const first = sorted[0];
  if (!first) throw new Error('a call has at least one event');
  const origin = sorted.find((e) => e.kind !== 'transferred') ?? first;
  const answers = sorted.filter((e) => answeredKinds.includes(e.kind));
  const finals = sorted.filter((e) => finalKinds.includes(e.kind));
  const answered = answers[0] ?? null;
  const final = finals[0] ?? null;
  const latest = <K extends 'extension' | 'operatorId'>(key: K) =>
    answers.reduce<string | null>((value, e) => e[key] ?? value, null);
  return {
    status: final ? (answered ? 'ended' : 'missed') : answered ? 'answered' : 'ringing',
    from: origin.from,
    to: origin.to,
    ringingAt: first.at,
    answeredAt: answered?.at ?? null,
    endedAt: final?.at ?? null,
    extension: latest('extension'),
    operatorId: latest('operatorId'),
  };
}
