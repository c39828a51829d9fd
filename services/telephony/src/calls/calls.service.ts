import { Injectable } from '@nestjs/common';
import { CALL_EVENTS_TOPIC, type CallEventKind, type PhoneNumber } from '@thankstar/contracts';
import { DomainError, enqueueEvent } from '@thankstar/platform';
import { Brackets, DataSource, In } from 'typeorm';
import { LinesService } from '../lines/lines.service';
import { CallEntity, type CallSource } from './call.entity';
import { type CallEventFact, type CallStatus, callStateOf } from './call-state';
import type { IncomingCallEvent } from './incoming-call-event';

export interface CallFilter {
  statuses?: CallStatus[];
  since?: Date;
  until?: Date;
  lineId?: string;
  /** Digits of the caller's number, matched against its E.164 form or raw string. */
  number?: string;
}

interface EventRow {
  event: CallEventKind;
  occurred_at: Date;
  from_number: PhoneNumber;
  to_number: PhoneNumber;
  extension: string | null;
  operator_id: string | null;
}

// A call can be transferred several times; every other kind happens once per call.
const dedupKey = (e: IncomingCallEvent) =>
  e.kind === 'transferred' ? `transferred:${e.extension ?? ''}:${e.operatorId ?? ''}` : e.kind;

export const MAX_PAGE = 200;

@Injectable()
export class CallsService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores the event, updates the call's state and enqueues the call event, all in one
   * transaction: accepted means stored and (eventually) published. A repeated event changes
   * nothing and publishes nothing.
   */
  async record(
    tenantId: string,
    source: CallSource,
    incoming: IncomingCallEvent,
  ): Promise<{ id: string; duplicate: boolean }> {
    return this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO calls (tenant_id, call_id, source, status, from_number, to_number, ringing_at)
         VALUES ($1, $2, $3, 'ringing', $4, $5, $6) ON CONFLICT (tenant_id, call_id) DO NOTHING`,
        [tenantId, incoming.callId, source, incoming.from, incoming.to, incoming.occurredAt],
      );
      // The row lock serialises concurrent events of one call, so the state is computed from all of them.
      const [call]: { id: string }[] = await m.query(
        'SELECT id FROM calls WHERE tenant_id = $1 AND call_id = $2 FOR UPDATE',
        [tenantId, incoming.callId],
      );
      if (!call) throw new Error('call row vanished inside its transaction');
      const inserted: unknown[] = await m.query(
        `INSERT INTO call_events (tenant_id, call_id, event, dedup_key, source, from_number, to_number, extension, operator_id, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (call_id, dedup_key) DO NOTHING RETURNING id`,
        [
          tenantId,
          call.id,
          incoming.kind,
          dedupKey(incoming),
          source,
          incoming.from,
          incoming.to,
          incoming.extension,
          incoming.operatorId,
          incoming.occurredAt,
        ],
      );
      if (inserted.length === 0) return { id: call.id, duplicate: true };

      const events: EventRow[] = await m.query(
        'SELECT event, occurred_at, from_number, to_number, extension, operator_id FROM call_events WHERE call_id = $1',
        [call.id],
      );
      const state = callStateOf<PhoneNumber>(
        events.map(
          (e): CallEventFact<PhoneNumber> => ({
            kind: e.event,
            at: e.occurred_at,
            from: e.from_number,
            to: e.to_number,
            extension: e.extension,
            operatorId: e.operator_id,
          }),
        ),
      );
      const line = await LinesService.lineRung(m, tenantId, state.to.e164);
      await m.query(
        `UPDATE calls SET status = $2, from_number = $3, to_number = $4, line_id = $5, extension = $6, operator_id = $7,
           ringing_at = $8, answered_at = $9, ended_at = $10, updated_at = now() WHERE id = $1`,
        [
          call.id,
          state.status,
          state.from,
          state.to,
          line?.id ?? null,
          state.extension,
          state.operatorId,
          state.ringingAt,
          state.answeredAt,
          state.endedAt,
        ],
      );
      await enqueueEvent(m, {
        topic: CALL_EVENTS_TOPIC,
        key: `${tenantId}:${incoming.callId}`,
        tenantId,
        occurredAt: incoming.occurredAt,
        payload: {
          callId: incoming.callId,
          event: incoming.kind,
          // Consumers see the call's caller, also on a transfer (whose own "from" is the transferring extension).
          from: state.from,
          to: state.to,
          lineId: line?.id ?? null,
          lineLabel: line?.label ?? null,
          extension: incoming.extension,
          operatorId: incoming.operatorId,
          source,
          at: incoming.occurredAt.toISOString(),
        },
      });
      return { id: call.id, duplicate: false };
    });
  }

  async list(
    tenantId: string,
    filter: CallFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: CallEntity[]; total: number }> {
    if (
      !Number.isInteger(page.limit) ||
      page.limit < 1 ||
      page.limit > MAX_PAGE ||
      !Number.isInteger(page.offset) ||
      page.offset < 0
    ) {
      throw new DomainError(
        'INVALID_PAGE',
        `A page has a limit from 1 to ${MAX_PAGE} and an offset of 0 or more.`,
        400,
      );
    }
    const query = this.dataSource
      .getRepository(CallEntity)
      .createQueryBuilder('call')
      .where('call.tenant_id = :tenantId', { tenantId })
      .orderBy('call.ringing_at', 'DESC')
      .addOrderBy('call.id', 'DESC')
      .take(page.limit)
      .skip(page.offset);
    if (filter.statuses?.length) query.andWhere('call.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.since) query.andWhere('call.ringing_at >= :since', { since: filter.since });
    if (filter.until) query.andWhere('call.ringing_at < :until', { until: filter.until });
    if (filter.lineId) query.andWhere('call.line_id = :lineId', { lineId: filter.lineId });
    const digits = filter.number?.replace(/\D/g, '').replace(/^0/, '');
    if (digits) {
      query.andWhere(
        new Brackets((q) =>
          q
            .where(`call.from_number->>'e164' LIKE :pattern`, { pattern: `%${digits}%` })
            .orWhere(`regexp_replace(call.from_number->>'raw', '\\D', '', 'g') LIKE :pattern`),
        ),
      );
    }
    const [items, total] = await query.getManyAndCount();
    return { items, total };
  }

  /** Missed calls since a time, each with whether this user has marked it seen. */
  async missed(tenantId: string, userId: string, since: Date): Promise<{ call: CallEntity; seen: boolean }[]> {
    const rows: { id: string; seen: boolean }[] = await this.dataSource.query(
      `SELECT c.id, (v.call_id IS NOT NULL) AS seen FROM calls c
       LEFT JOIN missed_call_views v ON v.tenant_id = c.tenant_id AND v.call_id = c.id AND v.user_id = $2
       WHERE c.tenant_id = $1 AND c.status = 'missed' AND c.ringing_at >= $3
       ORDER BY c.ringing_at DESC LIMIT 500`,
      [tenantId, userId, since],
    );
    const calls = await this.dataSource.getRepository(CallEntity).findBy({ tenantId, id: In(rows.map((r) => r.id)) });
    const byId = new Map(calls.map((c) => [c.id, c]));
    return rows.flatMap((r) => {
      const call = byId.get(r.id);
      return call ? [{ call, seen: r.seen }] : [];
    });
  }

  /** Marks missed calls of the tenant seen by this user; ids of other tenants' calls are ignored. */
  async markSeen(tenantId: string, userId: string, callIds: string[]): Promise<number> {
    const ids = callIds.filter(isUuid);
    if (ids.length === 0) return 0;
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO missed_call_views (tenant_id, user_id, call_id)
       SELECT tenant_id, $2, id FROM calls WHERE tenant_id = $1 AND id = ANY($3::uuid[]) AND status = 'missed'
       ON CONFLICT DO NOTHING RETURNING call_id`,
      [tenantId, userId, ids],
    );
    return rows.length;
  }

  get(tenantId: string, id: string): Promise<CallEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.dataSource.getRepository(CallEntity).findOneBy({ tenantId, id });
  }
}

export const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
