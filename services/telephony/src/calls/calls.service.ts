import { Injectable } from '@nestjs/common';
import { isUuid } from '@thankstar/contracts';
import { DomainError } from '@thankstar/platform';
import { Brackets, DataSource, In } from 'typeorm';
import { CallEntity, type CallSource } from './call.entity';
import { CallEventWriter, type RecordResult } from './call-event-writer';
import type { CallStatus } from './call-state';
import type { IncomingCallEvent } from './incoming-call-event';

export interface CallFilter {
  statuses?: CallStatus[];
  since?: Date;
  until?: Date;
  lineId?: string;
  /** Digits of the caller's number, matched against its E.164 form or raw string. */
  number?: string;
}

export const MAX_PAGE = 200;

@Injectable()
export class CallsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: CallEventWriter,
  ) {}

  /**
   * Stores the event, updates the call's state and enqueues the call event, all in one
   * transaction (shared with other events arriving at the same time, see CallEventWriter):
   * accepted means stored and (eventually) published. A repeated event changes nothing and
   * publishes nothing.
   */
  record(tenantId: string, source: CallSource, incoming: IncomingCallEvent): Promise<RecordResult> {
    return this.writer.write(tenantId, source, incoming);
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
      throw new DomainError('INVALID_PAGE', {
        reason: {
          ja: `limit は1〜${MAX_PAGE}、offset は0以上です。`,
          en: `a page has a limit from 1 to ${MAX_PAGE} and an offset of 0 or more.`,
        },
      });
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
