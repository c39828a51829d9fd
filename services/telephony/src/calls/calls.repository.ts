import { Injectable } from '@nestjs/common';
import type { PhoneNumber } from '@thankstar/contracts';
import type { EntityManager } from 'typeorm';
import type { Call, CallSource } from './call';
import type { CallStatus } from './call-state';

/** What a page of calls can be narrowed by; every field optional. */
export interface CallFilter {
  statuses?: CallStatus[];
  since?: Date;
  until?: Date;
  lineId?: string;
  /** Digits of the caller's number, matched against its E.164 form or raw string. */
  number?: string;
}

interface CallRow {
  id: string;
  tenant_id: string;
  call_id: string;
  source: CallSource;
  status: CallStatus;
  from_number: PhoneNumber;
  to_number: PhoneNumber;
  line_id: string | null;
  extension: string | null;
  operator_id: string | null;
  ringing_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
}

const columns = `c.id, c.tenant_id, c.call_id, c.source, c.status, c.from_number, c.to_number, c.line_id, c.extension,
  c.operator_id, c.ringing_at, c.answered_at, c.ended_at`;

const callOf = (r: CallRow): Call => ({
  id: r.id,
  tenantId: r.tenant_id,
  callId: r.call_id,
  source: r.source,
  status: r.status,
  from: r.from_number,
  to: r.to_number,
  lineId: r.line_id,
  extension: r.extension,
  operatorId: r.operator_id,
  ringingAt: r.ringing_at,
  answeredAt: r.answered_at,
  endedAt: r.ended_at,
});

/**
 * The page query and its count for a filter: $1 is the tenant, then one parameter per filter
 * given, then (page only) limit and offset.
 */
export function callPageStatements(filter: CallFilter): { page: string; count: string; values: unknown[] } {
  const values: unknown[] = [];
  const where: string[] = ['c.tenant_id = $1'];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length + 1}`;
  };
  if (filter.statuses?.length) where.push(`c.status = ANY(${param(filter.statuses)}::text[])`);
  if (filter.since) where.push(`c.ringing_at >= ${param(filter.since)}`);
  if (filter.until) where.push(`c.ringing_at < ${param(filter.until)}`);
  if (filter.lineId) where.push(`c.line_id = ${param(filter.lineId)}`);
  const digits = filter.number?.replace(/\D/g, '').replace(/^0/, '');
  if (digits) {
    const pattern = param(`%${digits}%`);
    where.push(
      `(c.from_number->>'e164' LIKE ${pattern} OR regexp_replace(c.from_number->>'raw', '\\D', '', 'g') LIKE ${pattern})`,
    );
  }
  const condition = where.join('\n    AND ');
  const limit = `$${values.length + 2}`;
  const offset = `$${values.length + 3}`;
  return {
    page: `SELECT ${columns}
    FROM calls c
    WHERE ${condition}
    ORDER BY c.ringing_at DESC, c.id DESC
    LIMIT ${limit} OFFSET ${offset}`,
    count: `SELECT count(*)::int AS total FROM calls c
    WHERE ${condition}`,
    values,
  };
}

const everyFilter = callPageStatements({
  statuses: ['missed'],
  since: new Date(0),
  until: new Date(0),
  lineId: '00000000-0000-0000-0000-000000000000',
  number: '0312345678',
});

const statements = {
  // Built per filter (callPageStatements); shown here with every filter given.
  page: everyFilter.page,
  count: everyFilter.count,
  get: `SELECT ${columns} FROM calls c WHERE c.tenant_id = $1 AND c.id = $2`,
  missed: `SELECT ${columns}, (v.call_id IS NOT NULL) AS seen
    FROM calls c
    LEFT JOIN missed_call_views v ON v.tenant_id = c.tenant_id AND v.call_id = c.id AND v.user_id = $2
    WHERE c.tenant_id = $1 AND c.status = 'missed' AND c.ringing_at >= $3
    ORDER BY c.ringing_at DESC LIMIT 500`,
  markSeen: `INSERT INTO missed_call_views (tenant_id, user_id, call_id)
    SELECT tenant_id, $2, id FROM calls WHERE tenant_id = $1 AND id = ANY($3::uuid[]) AND status = 'missed'
    ON CONFLICT DO NOTHING RETURNING call_id`,
} satisfies Record<string, string>;

/** Every statement of calls and missed_call_views, as sent (reviewed in sql/calls.repository.sql). */
export const callsSql: Record<string, string> = statements;

/** Reads of the calls table (the writes are CallEventsRepository's, in the write batch). */
@Injectable()
export class CallsRepository {
  async page(
    m: EntityManager,
    tenantId: string,
    filter: CallFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: Call[]; total: number }> {
    const statements = callPageStatements(filter);
    const rows: CallRow[] = await m.query(statements.page, [tenantId, ...statements.values, page.limit, page.offset]);
    const [count]: { total: number }[] = await m.query(statements.count, [tenantId, ...statements.values]);
    return { items: rows.map(callOf), total: count?.total ?? 0 };
  }

  async get(m: EntityManager, tenantId: string, id: string): Promise<Call | null> {
    const [row]: CallRow[] = await m.query(statements.get, [tenantId, id]);
    return row ? callOf(row) : null;
  }

  /** Missed calls since a time, newest first (at most 500), each with whether this user has seen it. */
  async missed(
    m: EntityManager,
    tenantId: string,
    userId: string,
    since: Date,
  ): Promise<{ call: Call; seen: boolean }[]> {
    const rows: (CallRow & { seen: boolean })[] = await m.query(statements.missed, [tenantId, userId, since]);
    return rows.map((r) => ({ call: callOf(r), seen: r.seen }));
  }

  /** Marks the tenant's missed calls among these ids seen by the user; returns how many were new. */
  async markSeen(m: EntityManager, tenantId: string, userId: string, callIds: string[]): Promise<number> {
    const rows: unknown[] = await m.query(statements.markSeen, [tenantId, userId, callIds]);
    return rows.length;
  }
}
