import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { CALL_EVENTS_TOPIC, type PhoneNumber } from '@thankstar/contracts';
import { newEventTraceparent, outboxRowOf } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { CONFIG, type TelephonyConfig } from '../config';
import { LinesRepository, type RungLine } from '../lines/lines.repository';
import type { CallSource } from './call';
import {
  applyBatch,
  type BatchEvent,
  callKey,
  dedupKeyOf,
  eventKey,
  firstEventOfEachCall,
  insertCandidates,
  linesWanted,
  type RecordResult,
} from './call-event-batch';
import { CallEventsRepository } from './call-events.repository';
import type { CallEventFact, CallState } from './call-state';
import { GroupCommitQueue } from './group-commit-queue';
import type { IncomingCallEvent } from './incoming-call-event';

export type { RecordResult } from './call-event-batch';

/**
 * Group commit for call events. Every source hands its events here; they are written in
 * batches, one transaction per batch (GroupCommitQueue decides when and what: at most
 * TELEPHONY_WRITE_BATCH), and each caller's promise settles only after the transaction
 * holding its event has committed ("accepted means stored").
 *
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
  private readonly queue: GroupCommitQueue<BatchEvent, RecordResult>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: CallEventsRepository,
    private readonly lines: LinesRepository,
    @Inject(CONFIG) config: TelephonyConfig,
  ) {
    this.queue = new GroupCommitQueue(
      (batch) => this.dataSource.transaction((m) => this.writeEvents(m, batch)),
      config.TELEPHONY_WRITE_BATCH,
      (size, error) =>
        this.logger.warn(`a batch of ${size} call events failed (${String(error)}); writing them one by one`),
    );
  }

  write(tenantId: string, source: CallSource, event: IncomingCallEvent): Promise<RecordResult> {
    return this.queue.push({
      tenantId,
      source,
      event,
      dedupKey: dedupKeyOf(event),
      traceparent: newEventTraceparent(),
    });
  }

  /** Waits for queued events to be written, before the database connections close. */
  beforeApplicationShutdown(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * Writes a batch of events in the caller's transaction with four statements, whatever its size:
   * 1. insert-or-lock the calls (in (tenant, callId) order),
   * 2. insert the events (repeats skipped) and read each call's earlier events,
   * 3. find the lines the calls rang on,
   * 4. update the calls' state and insert the outbox rows.
   * Returns one result per event, in batch order.
   */
  private async writeEvents(m: EntityManager, batch: readonly BatchEvent[]): Promise<RecordResult[]> {
    // 1.
    const calls = await this.events.upsertCalls(
      m,
      firstEventOfEachCall(batch).map((p) => ({
        tenantId: p.tenantId,
        callId: p.event.callId,
        source: p.source,
        from: p.event.from,
        to: p.event.to,
        occurredAt: p.event.occurredAt,
      })),
    );
    const callIdOf = new Map(calls.map((c) => [callKey(c.tenantId, c.callId), c.id]));
    const idOf = (p: BatchEvent) => {
      const id = callIdOf.get(callKey(p.tenantId, p.event.callId));
      if (!id) throw new Error('a call row is missing after its upsert');
      return id;
    };

    // 2.
    const stored = await this.events.insertEvents(
      m,
      insertCandidates(batch, idOf).map((p) => ({
        tenantId: p.tenantId,
        id: idOf(p),
        kind: p.event.kind,
        dedupKey: p.dedupKey,
        source: p.source,
        from: p.event.from,
        to: p.event.to,
        extension: p.event.extension,
        operatorId: p.event.operatorId,
        occurredAt: p.event.occurredAt,
      })),
    );
    const history = new Map<string, CallEventFact<PhoneNumber>[]>();
    for (const { id, fact } of stored.earlier) history.set(id, [...(history.get(id) ?? []), fact]);
    const inserted = new Set(stored.inserted.map((e) => eventKey(e.id, e.dedupKey)));
    const { results, stateAfter, finalState } = applyBatch(batch, idOf, inserted, history);
    if (finalState.size === 0) return results;

    // 3.
    const rung = await this.lines.byNumbers(m, linesWanted(stateAfter));
    const lineOf = new Map(rung.map((l) => [callKey(l.tenantId, l.numberE164), l]));
    const lineFor = (tenantId: string, state: CallState<PhoneNumber>): RungLine | null =>
      state.to.e164 ? (lineOf.get(callKey(tenantId, state.to.e164)) ?? null) : null;

    // 4.
    const outbox = [...stateAfter].map(([p, state]) => {
      const line = lineFor(p.tenantId, state);
      return outboxRowOf({
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
      });
    });
    await this.events.updateCallsAndEnqueue(
      m,
      [...finalState].map(([id, { tenantId, state }]) => ({ id, state, lineId: lineFor(tenantId, state)?.id ?? null })),
      outbox,
    );
    return results;
  }
}
