import type { EntityManager } from 'typeorm';
import type { AuditEntry } from './audit-entry';

/** Every statement on `audit_log` (libs/platform/src/audit). */
export const auditLogSql = {
  /** A batch of entries in one statement: one JSON parameter, so the text never changes with the batch size. */
  insert: `
    INSERT INTO audit_log
      (at, tenant_id, actor_id, actor_name, actor_roles, actor_tenant_id, operation, targets, outcome, arguments, trace_id)
    SELECT r.at, r.tenant_id, r.actor_id, r.actor_name, COALESCE(r.actor_roles, '{}'), r.actor_tenant_id,
           r.operation, COALESCE(r.targets, '{}'), r.outcome, r.arguments, r.trace_id
    FROM jsonb_to_recordset($1::jsonb) AS r(
      at timestamptz, tenant_id text, actor_id text, actor_name text, actor_roles text[], actor_tenant_id text,
      operation text, targets text[], outcome text, arguments jsonb, trace_id text)`,
  /**
   * A page, newest first, after a (at, id) cursor. A null filter matches everything; the actor
   * filter matches the user id exactly or the name in part, the operation in part.
   */
  list: `
    SELECT id::text AS id, at, tenant_id, actor_id, actor_name, actor_roles, operation, targets, outcome,
           arguments::text AS arguments
    FROM audit_log
    WHERE ($1::text IS NULL OR tenant_id = $1)
      AND ($2::text IS NULL OR actor_id = $2 OR actor_name ILIKE '%' || $3 || '%')
      AND ($4::text IS NULL OR operation ILIKE '%' || $4 || '%')
      AND ($5::timestamptz IS NULL OR at >= $5)
      AND ($6::timestamptz IS NULL OR at < $6)
      AND ($7::timestamptz IS NULL OR (at, id) < ($7, $8::bigint))
    ORDER BY at DESC, id DESC
    LIMIT $9`,
} as const;

export interface AuditLogFilter {
  /** Null: every tenant (provider staff only; the resolver decides). */
  tenantId: string | null;
  actor?: string | null;
  operation?: string | null;
  from?: Date | null;
  to?: Date | null;
}

export interface AuditLogCursor {
  at: Date;
  id: string;
}

export interface AuditLogRow {
  id: string;
  at: Date;
  tenantId: string | null;
  actorId: string | null;
  actorName: string | null;
  actorRoles: string[];
  operation: string;
  targets: string[];
  outcome: string;
  arguments: string | null;
}

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export const AuditLogRepository = {
  async insert(manager: EntityManager, entries: readonly AuditEntry[]): Promise<void> {
    const rows = entries.map((e) => ({
      at: e.at.toISOString(),
      tenant_id: e.tenantId,
      actor_id: e.actor?.userId ?? null,
      actor_name: e.actor?.name ?? null,
      actor_roles: e.actor ? [...e.actor.roles] : [],
      actor_tenant_id: e.actor?.tenantId ?? null,
      operation: e.operation,
      targets: e.targets,
      outcome: e.outcome,
      arguments: e.arguments ?? null,
      trace_id: e.traceId ?? null,
    }));
    await manager.query(auditLogSql.insert, [JSON.stringify(rows)]);
  },

  async list(
    manager: EntityManager,
    filter: AuditLogFilter,
    after: AuditLogCursor | null,
    limit: number,
  ): Promise<AuditLogRow[]> {
    const actor = filter.actor?.trim() || null;
    const operation = filter.operation?.trim() || null;
    const rows: Record<string, unknown>[] = await manager.query(auditLogSql.list, [
      filter.tenantId,
      actor,
      actor ? likeEscape(actor) : null,
      operation ? likeEscape(operation) : null,
      filter.from ?? null,
      filter.to ?? null,
      after?.at ?? null,
      after?.id ?? null,
      limit,
    ]);
    return rows.map((r) => ({
      id: String(r.id),
      at: r.at as Date,
      tenantId: (r.tenant_id as string | null) ?? null,
      actorId: (r.actor_id as string | null) ?? null,
      actorName: (r.actor_name as string | null) ?? null,
      actorRoles: (r.actor_roles as string[] | null) ?? [],
      operation: r.operation as string,
      targets: (r.targets as string[] | null) ?? [],
      outcome: r.outcome as string,
      arguments: (r.arguments as string | null) ?? null,
    }));
  },
};
