import type { PhoneNumber } from '@thankstar/contracts';
import type { CallSource } from './call';
import { type CallEventFact, type CallState, callStateOf } from './call-state';
import type { IncomingCallEvent } from './incoming-call-event';

/**
 * What one write batch does to the calls it touches, without the database: which events are
 * new, the state after each, the lines to look up. The writer (call-event-writer.ts) runs the
 * statements (call-events.repository.ts) around these steps. Pure: no Nest, TypeORM or kafkajs.
 */

/** One event of a batch. */
export interface BatchEvent {
  tenantId: string;
  source: CallSource;
  event: IncomingCallEvent;
  dedupKey: string;
  /** The request's trace, captured when the event arrived (the batch runs outside the request). */
  traceparent: string;
}

export interface RecordResult {
  /** Our id of the call (calls.id). */
  id: string;
  /** The event had been recorded before: nothing changed and nothing was published. */
  duplicate: boolean;
}

// A call can be transferred several times; every other kind happens once per call.
export const dedupKeyOf = (e: IncomingCallEvent) =>
  e.kind === 'transferred' ? `transferred:${e.extension ?? ''}:${e.operatorId ?? ''}` : e.kind;

/** A call's key across tenants (the source's call ids are unique per tenant only). */
export const callKey = (tenantId: string, callId: string) => `${tenantId}\u0000${callId}`;

/** A stored event's key: our call id and its dedup key (the unique constraint of call_events). */
export const eventKey = (id: string, dedupKey: string) => `${id}\u0000${dedupKey}`;

/** The first event of each call in the batch: it supplies the values of a new call row. */
export function firstEventOfEachCall<E extends BatchEvent>(batch: readonly E[]): E[] {
  const first = new Map<string, E>();
  for (const p of batch) {
    const key = callKey(p.tenantId, p.event.callId);
    if (!first.has(key)) first.set(key, p);
  }
  return [...first.values()];
}

/**
 * The events worth inserting: a repeat inside the batch is a duplicate of its first
 * occurrence; repeats of stored events are left to the unique constraint.
 */
export function insertCandidates<E extends BatchEvent>(batch: readonly E[], idOf: (p: E) => string): E[] {
  const seen = new Set<string>();
  return batch.filter((p) => {
    const key = eventKey(idOf(p), p.dedupKey);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface AppliedBatch<E extends BatchEvent> {
  /** One per event, in batch order. */
  results: RecordResult[];
  /** The call's state after each new event, in batch order (repeats have none). */
  stateAfter: Map<E, CallState<PhoneNumber>>;
  /** Each touched call's state after the whole batch. */
  finalState: Map<string, { tenantId: string; state: CallState<PhoneNumber> }>;
}

/**
 * The state after each new event, in order, as if the events had come one per transaction.
 * `inserted` holds the eventKeys the database inserted; `history` each call's events stored
 * before this batch (both from the insert statement). An event inserted but repeated later in
 * the batch counts once: the later one is a duplicate.
 */
export function applyBatch<E extends BatchEvent>(
  batch: readonly E[],
  idOf: (p: E) => string,
  inserted: ReadonlySet<string>,
  history: ReadonlyMap<string, readonly CallEventFact<PhoneNumber>[]>,
): AppliedBatch<E> {
  const fresh = new Set(inserted);
  const facts = new Map<string, CallEventFact<PhoneNumber>[]>();
  const stateAfter = new Map<E, CallState<PhoneNumber>>();
  const finalState = new Map<string, { tenantId: string; state: CallState<PhoneNumber> }>();
  const results: RecordResult[] = batch.map((p) => ({ id: idOf(p), duplicate: true }));
  batch.forEach((p, i) => {
    const id = idOf(p);
    const key = eventKey(id, p.dedupKey);
    if (!fresh.has(key)) return;
    fresh.delete(key); // a later repeat in the same batch is a duplicate
    const known = facts.get(id) ?? [...(history.get(id) ?? [])];
    known.push({
      kind: p.event.kind,
      at: p.event.occurredAt,
      from: p.event.from,
      to: p.event.to,
      extension: p.event.extension,
      operatorId: p.event.operatorId,
    });
    facts.set(id, known);
    const state = callStateOf(known);
    stateAfter.set(p, state);
    finalState.set(id, { tenantId: p.tenantId, state });
    results[i] = { id, duplicate: false };
  });
  return { results, stateAfter, finalState };
}

/** The lines rung: every number a call's state named while the batch was applied, once per tenant. */
export function linesWanted<E extends BatchEvent>(
  stateAfter: ReadonlyMap<E, CallState<PhoneNumber>>,
): { tenantId: string; e164: string }[] {
  const wanted = new Map<string, { tenantId: string; e164: string }>();
  for (const [p, state] of stateAfter) {
    if (state.to.e164) wanted.set(callKey(p.tenantId, state.to.e164), { tenantId: p.tenantId, e164: state.to.e164 });
  }
  return [...wanted.values()];
}
