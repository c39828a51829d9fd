import { Injectable } from '@nestjs/common';
import type { CallEventKind, PhoneNumber } from '@thankstar/contracts';
import type { OutboxRow } from '@thankstar/platform';
import type { EntityManager } from 'typeorm';
import type { CallSource } from './call';
import type { CallEventFact, CallState } from './call-state';

const statements = {
  // 1. One row per call, inserted or locked in (tenant, callId) order, so batches cannot deadlock.
  upsertCalls: `INSERT INTO calls (tenant_id, call_id, source, status, from_number, to_number, ringing_at)
     SELECT tenant_id, call_id, source, 'ringing', from_number, to_number, occurred_at
     FROM jsonb_to_recordset($1::jsonb) AS x(tenant_id uuid, call_id text, source text, from_number jsonb, to_number jsonb, occurred_at timestamptz)
     ORDER BY tenant_id, call_id
     ON CONFLICT (tenant_id, call_id) DO UPDATE SET updated_at = calls.updated_at
     RETURNING id, tenant_id, call_id`,
  // 2. The new events (repeats skipped by the constraint), and the calls' earlier events: the
  // SELECT sees the snapshot before the INSERT, so it returns only events stored before this batch.
  insertEvents: `WITH input AS (
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
  // 4. The calls' state after the batch, and one outbox row per new event in batch order.
  updateCallsAndEnqueue: `WITH updated AS (
       UPDATE calls c SET status = u.status, from_number = u.from_number, to_number = u.to_number, line_id = u.line_id,
         extension = u.extension, operator_id = u.operator_id, ringing_at = u.ringing_at, answered_at = u.answered_at,
         ended_at = u.ended_at, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, status text, from_number jsonb, to_number jsonb, line_id uuid,
         extension text, operator_id text, ringing_at timestamptz, answered_at timestamptz, ended_at timestamptz)
       WHERE c.id = u.id
     )
     INSERT INTO outbox (topic, key, value)
     SELECT topic, key, value FROM jsonb_to_recordset($2::jsonb) AS o(ord int, topic text, key text, value text) ORDER BY ord`,
} satisfies Record<string, string>;

/**
 * The write batch's statements (docs: services/telephony/README.md, "Write path"): a batch
 * holds the events of several tenants, so the tenant travels in every row rather than first.
 */
export const callEventsSql: Record<string, string> = statements;

/** A call's first event in the batch: the values of its row when it is new. */
export interface NewCall {
  tenantId: string;
  callId: string;
  source: CallSource;
  from: PhoneNumber;
  to: PhoneNumber;
  occurredAt: Date;
}

/** An event to insert, on our call id. */
export interface NewCallEvent {
  tenantId: string;
  /** calls.id */
  id: string;
  kind: CallEventKind;
  dedupKey: string;
  source: CallSource;
  from: PhoneNumber;
  to: PhoneNumber;
  extension: string | null;
  operatorId: string | null;
  occurredAt: Date;
}

interface EventRow {
  fresh: boolean;
  call_id: string;
  dedup_key: string;
  event: CallEventKind;
  occurred_at: Date;
  from_number: PhoneNumber;
  to_number: PhoneNumber;
  extension: string | null;
  operator_id: string | null;
}

@Injectable()
export class CallEventsRepository {
  /** Inserts the new calls and locks the existing ones; every call's id (calls.id). */
  async upsertCalls(
    m: EntityManager,
    calls: readonly NewCall[],
  ): Promise<{ id: string; tenantId: string; callId: string }[]> {
    const rows: { id: string; tenant_id: string; call_id: string }[] = await m.query(statements.upsertCalls, [
      JSON.stringify(
        calls.map((c) => ({
          tenant_id: c.tenantId,
          call_id: c.callId,
          source: c.source,
          from_number: c.from,
          to_number: c.to,
          occurred_at: c.occurredAt.toISOString(),
        })),
      ),
    ]);
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, callId: r.call_id }));
  }

  /**
   * Inserts the events (a stored repeat is skipped) in the given order; returns which were
   * inserted and the events of the same calls stored before.
   */
  async insertEvents(
    m: EntityManager,
    events: readonly NewCallEvent[],
  ): Promise<{
    inserted: { id: string; dedupKey: string }[];
    earlier: { id: string; fact: CallEventFact<PhoneNumber> }[];
  }> {
    const rows: EventRow[] = await m.query(statements.insertEvents, [
      JSON.stringify(
        events.map((e, ord) => ({
          ord,
          tenant_id: e.tenantId,
          call_id: e.id,
          event: e.kind,
          dedup_key: e.dedupKey,
          source: e.source,
          from_number: e.from,
          to_number: e.to,
          extension: e.extension,
          operator_id: e.operatorId,
          occurred_at: e.occurredAt.toISOString(),
        })),
      ),
    ]);
    return {
      inserted: rows.filter((r) => r.fresh).map((r) => ({ id: r.call_id, dedupKey: r.dedup_key })),
      earlier: rows
        .filter((r) => !r.fresh)
        .map((r) => ({
          id: r.call_id,
          fact: {
            kind: r.event,
            at: new Date(r.occurred_at),
            from: r.from_number,
            to: r.to_number,
            extension: r.extension,
            operatorId: r.operator_id,
          },
        })),
    };
  }

  /** Stores each call's state after the batch and inserts the outbox rows, in one statement. */
  async updateCallsAndEnqueue(
    m: EntityManager,
    calls: readonly { id: string; state: CallState<PhoneNumber>; lineId: string | null }[],
    outbox: readonly OutboxRow[],
  ): Promise<void> {
    await m.query(statements.updateCallsAndEnqueue, [
      JSON.stringify(
        calls.map(({ id, state, lineId }) => ({
          id,
          status: state.status,
          from_number: state.from,
          to_number: state.to,
          line_id: lineId,
          extension: state.extension,
          operator_id: state.operatorId,
          ringing_at: state.ringingAt.toISOString(),
          answered_at: state.answeredAt?.toISOString() ?? null,
          ended_at: state.endedAt?.toISOString() ?? null,
        })),
      ),
      JSON.stringify(outbox.map((o, ord) => ({ ord, topic: o.topic, key: o.key, value: o.value }))),
    ]);
  }
}
