import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { CALL_EVENTS_TOPIC, type CallEventKind, type PhoneNumber } from '@thankstar/contracts';
import { newEventTraceparent, type OutboxRow, outboxRowOf } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import type { CallSource } from './call.entity';
import { type CallEventFact, type CallState, callStateOf } from './call-state';
import type { IncomingCallEvent } from './incoming-call-event';

/** One event waiting for its batch to commit. */
interface Pending {
  tenantId: string;
  source: CallSource;
  event: IncomingCallEvent;
  dedupKey: string;
  /** The request's trace, captured when the event arrived (the batch runs outside the request). */
  traceparent: string;
  resolve(result: RecordResult): void;
  reject(error: unknown): void;
}

export interface RecordResult {
  /** Our id of the call (calls.id). */
  id: string;
  /** The event had been recorded before: nothing changed and nothing was published. */
  duplicate: boolean;
}

interface EventRow {
  call_id: string;
  event: CallEventKind;
  occurred_at: Date;
  from_number: PhoneNumber;
  to_number: PhoneNumber;
  extension: string | null;
  operator_id: string | null;
}

/** Largest batch one transaction takes; more waiting events go into the next one. */
export const MAX_BATCH = Number(process.env.TELEPHONY_WRITE_BATCH ?? 500);

// A call can be transferred several times; every other kind happens once per call.
export const dedupKeyOf = (e: IncomingCallEvent) =>
  e.kind === 'transferred' ? `transferred:${e.extension ?? ''}:${e.operatorId ?? ''}` : e.kind;

const callKey = (tenantId: string, callId: string) => `${tenantId}\u0000${callId}`;

/**
 * Group commit for call events. Every source hands its events here; they are written in
 * batches, one transaction per batch, and each caller's promise settles only after the
 * transaction holding its event has committed ("accepted means stored").
 *
 * - While a batch is being written, new events queue; when it commits, everything queued goes
 *   into the next one (up to MAX_BATCH). Under light load a batch is one event, so nothing
 *   waits for a timer; under heavy load batches grow and the per-event cost falls.
 * - One batch is in flight at a time in this process and events keep their arrival order, so
 *   the events of one call are stored and enqueued in the order they were accepted. Across
 *   replicas the call row lock (taken in (tenant, callId) order, so batches cannot deadlock)
 *   serialises the events of a call.
 * - Repeats are settled by the unique (call, dedup key) constraint with ON CONFLICT DO NOTHING:
 *   a duplicate is answered as such and never fails the batch. If a batch fails for any other
 *   reason, its events are retried one per transaction, so one bad event cannot fail the others.
 */
@Injectable()
export class CallEventWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(CallEventWriter.name);
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  write(tenantId: string, source: CallSource, event: IncomingCallEvent): Promise<RecordResult> {
    return new Promise<RecordResult>((resolve, reject) => {
      this.queue.push({
        tenantId,
        source,
        event,
        dedupKey: dedupKeyOf(event),
        traceparent: newEventTraceparent(),
        resolve,
        reject,
      });
      if (!this.flushing) this.flushing = this.drain();
    });
  }

  /** Waits for queued events to be written, before the database connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    // Let the requests that arrived in the same turn of the event loop join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      await this.writeBatch(batch);
    }
    this.flushing = null;
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    try {
      const results = await this.dataSource.transaction((m) => writeEvents(m, batch));
      for (const [i, p] of batch.entries()) p.resolve(results[i] as RecordResult);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      this.logger.warn(`a batch of ${batch.length} call events failed (${String(error)}); writing them one by one`);
      for (const p of batch) await this.writeBatch([p]);
    }
  }
}

/**
 * Writes a batch of events in the caller's transaction with four statements, whatever its size:
 * 1. insert-or-lock the calls (in (tenant, callId) order),
 * 2. insert the events (repeats skipped) and read each call's earlier events,
 * 3. find the lines the calls rang on,
 * 4. update the calls' state and insert the outbox rows.
 * Returns one result per event, in batch order.
 */
export async function writeEvents(m: EntityManager, batch: readonly Pending[]): Promise<RecordResult[]> {
  // 1. One row per call; the first event of a call in the batch supplies the values of a new row.
  const firstOfCall = new Map<string, Pending>();
  for (const p of batch) {
    const key = callKey(p.tenantId, p.event.callId);
    if (!firstOfCall.has(key)) firstOfCall.set(key, p);
  }
  const calls: { id: string; tenant_id: string; call_id: string }[] = await m.query(
    `INSERT INTO calls (tenant_id, call_id, source, status, from_number, to_number, ringing_at)
     SELECT tenant_id, call_id, source, 'ringing', from_number, to_number, occurred_at
     FROM jsonb_to_recordset($1::jsonb) AS x(tenant_id uuid, call_id text, source text, from_number jsonb, to_number jsonb, occurred_at timestamptz)
     ORDER BY tenant_id, call_id
     ON CONFLICT (tenant_id, call_id) DO UPDATE SET updated_at = calls.updated_at
     RETURNING id, tenant_id, call_id`,
    [
      JSON.stringify(
        [...firstOfCall.values()].map((p) => ({
          tenant_id: p.tenantId,
          call_id: p.event.callId,
          source: p.source,
          from_number: p.event.from,
          to_number: p.event.to,
          occurred_at: p.event.occurredAt.toISOString(),
        })),
      ),
    ],
  );
  const callIdOf = new Map(calls.map((c) => [callKey(c.tenant_id, c.call_id), c.id]));
  const idOf = (p: Pending) => {
    const id = callIdOf.get(callKey(p.tenantId, p.event.callId));
    if (!id) throw new Error('a call row is missing after its upsert');
    return id;
  };

  // 2. A repeat inside the batch is a duplicate of its first occurrence; repeats of stored
  // events are skipped by the constraint. The SELECT sees the snapshot before the INSERT, so
  // it returns only the events stored before this batch.
  const seen = new Set<string>();
  const candidates = batch.filter((p) => {
    const key = `${idOf(p)}\u0000${p.dedupKey}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const rows: (EventRow & { fresh: boolean; dedup_key: string })[] = await m.query(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ord int, tenant_id uuid, call_id uuid, event text, dedup_key text,
         source text, from_number jsonb, to_number jsonb, extension text, operator_id text, occurred_at timestamptz)
     ), inserted AS (
       INSERT INTO call_events (tenant_id, call_id, event, dedup_key, source, from_number, to_number, extension, operator_id, occurred_at)
       SELECT tenant_id, call_id, event, dedup_key, source, from_number, to_number, extension, operator_id, occurred_at
       FROM input ORDER BY ord
       ON CONFLICT (call_id, dedup_key) DO NOTHING
       RETURNING call_id, dedup_key
     )
     SELECT true AS fresh, call_id, dedup_key, NULL AS event, NULL AS occurred_at, NULL AS from_number, NULL AS to_number,
            NULL AS extension, NULL AS operator_id
     FROM inserted
     UNION ALL
     SELECT false, e.call_id, e.dedup_key, e.event, e.occurred_at, e.from_number, e.to_number, e.extension, e.operator_id
     FROM call_events e WHERE e.call_id IN (SELECT call_id FROM input)`,
    [
      JSON.stringify(
        candidates.map((p, ord) => ({
          ord,
          tenant_id: p.tenantId,
          call_id: idOf(p),
          event: p.event.kind,
          dedup_key: p.dedupKey,
          source: p.source,
          from_number: p.event.from,
          to_number: p.event.to,
          extension: p.event.extension,
          operator_id: p.event.operatorId,
          occurred_at: p.event.occurredAt.toISOString(),
        })),
      ),
    ],
  );
  const fresh = new Set(rows.filter((r) => r.fresh).map((r) => `${r.call_id}\u0000${r.dedup_key}`));
  const history = new Map<string, CallEventFact<PhoneNumber>[]>();
  for (const r of rows) {
    if (r.fresh) continue;
    const facts = history.get(r.call_id) ?? [];
    facts.push({
      kind: r.event,
      at: new Date(r.occurred_at),
      from: r.from_number,
      to: r.to_number,
      extension: r.extension,
      operatorId: r.operator_id,
    });
    history.set(r.call_id, facts);
  }

  // The state after each new event, in order, as if the events had come one per transaction.
  const stateAfter = new Map<Pending, CallState<PhoneNumber>>();
  const finalState = new Map<string, { tenantId: string; state: CallState<PhoneNumber> }>();
  const results: RecordResult[] = batch.map((p) => ({ id: idOf(p), duplicate: true }));
  batch.forEach((p, i) => {
    const id = idOf(p);
    const key = `${id}\u0000${p.dedupKey}`;
    if (!fresh.has(key)) return;
    fresh.delete(key); // a later repeat in the same batch is a duplicate
    const facts = history.get(id) ?? [];
    facts.push({
      kind: p.event.kind,
      at: p.event.occurredAt,
      from: p.event.from,
      to: p.event.to,
      extension: p.event.extension,
      operatorId: p.event.operatorId,
    });
    history.set(id, facts);
    const state = callStateOf(facts);
    stateAfter.set(p, state);
    finalState.set(id, { tenantId: p.tenantId, state });
    results[i] = { id, duplicate: false };
  });
  if (finalState.size === 0) return results;

  // 3. The lines rung: every number a call's state named while this batch was applied.
  const wanted = new Map<string, { tenant_id: string; e164: string }>();
  for (const [p, state] of stateAfter) {
    if (state.to.e164) wanted.set(callKey(p.tenantId, state.to.e164), { tenant_id: p.tenantId, e164: state.to.e164 });
  }
  const lines: { id: string; tenant_id: string; number_e164: string; label: string | null }[] = wanted.size
    ? await m.query(
        `SELECT l.id, l.tenant_id, l.number_e164, l.label FROM lines l
         JOIN jsonb_to_recordset($1::jsonb) AS w(tenant_id uuid, e164 text) ON l.tenant_id = w.tenant_id AND l.number_e164 = w.e164`,
        [JSON.stringify([...wanted.values()])],
      )
    : [];
  const lineOf = new Map(lines.map((l) => [callKey(l.tenant_id, l.number_e164), l]));
  const lineFor = (tenantId: string, state: CallState<PhoneNumber>) =>
    state.to.e164 ? (lineOf.get(callKey(tenantId, state.to.e164)) ?? null) : null;

  // 4. The calls' state after the batch and one outbox row per new event, in batch order.
  const outbox: OutboxRow[] = [];
  for (const [p, state] of stateAfter) {
    const line = lineFor(p.tenantId, state);
    outbox.push(
      outboxRowOf({
        topic: CALL_EVENTS_TOPIC,
        key: `${p.tenantId}:${p.event.callId}`,
        tenantId: p.tenantId,
        occurredAt: p.event.occurredAt,
        traceparent: p.traceparent,
        payload: {
          callId: p.event.callId,
          event: p.event.kind,
          // Consumers see the call's caller, also on a transfer (whose own "from" is the transferring extension).
          from: state.from,
          to: state.to,
          lineId: line?.id ?? null,
          lineLabel: line?.label ?? null,
          extension: p.event.extension,
          operatorId: p.event.operatorId,
          source: p.source,
          at: p.event.occurredAt.toISOString(),
        },
      }),
    );
  }
  await m.query(
    `WITH updated AS (
       UPDATE calls c SET status = u.status, from_number = u.from_number, to_number = u.to_number, line_id = u.line_id,
         extension = u.extension, operator_id = u.operator_id, ringing_at = u.ringing_at, answered_at = u.answered_at,
         ended_at = u.ended_at, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, status text, from_number jsonb, to_number jsonb, line_id uuid,
         extension text, operator_id text, ringing_at timestamptz, answered_at timestamptz, ended_at timestamptz)
       WHERE c.id = u.id
     )
     INSERT INTO outbox (topic, key, value)
     SELECT topic, key, value FROM jsonb_to_recordset($2::jsonb) AS o(ord int, topic text, key text, value text) ORDER BY ord`,
    [
      JSON.stringify(
        [...finalState].map(([id, { tenantId, state }]) => ({
          id,
          status: state.status,
          from_number: state.from,
          to_number: state.to,
          line_id: lineFor(tenantId, state)?.id ?? null,
          extension: state.extension,
          operator_id: state.operatorId,
          ringing_at: state.ringingAt.toISOString(),
          answered_at: state.answeredAt?.toISOString() ?? null,
          ended_at: state.endedAt?.toISOString() ?? null,
        })),
      ),
      JSON.stringify(outbox.map((o, ord) => ({ ord, topic: o.topic, key: o.key, value: o.value }))),
    ],
  );
  return results;
}
