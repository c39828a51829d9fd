import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log (docs/decisions/0011-audit-log.md): who changed what and when, one row per
 * GraphQL mutation root field or data-changing REST call, written by the platform right after the
 * request (AuditWriter). Part of the platform's tables: a service that lists this migration records
 * its changes and answers `<service>AuditLog`.
 *
 * - `tenant_id`: the tenant whose data the operation reached (a provider's `tenantId` argument,
 *   else the caller's); `actor_tenant_id` the caller's own.
 * - `arguments`: the operation's arguments with secrets and personal data redacted (audit-entry.ts).
 */
export class AuditLog1764400000002 implements MigrationInterface {
  name = 'AuditLog1764400000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        tenant_id text,
        actor_id text,
        actor_name text,
        actor_roles text[] NOT NULL DEFAULT '{}',
        actor_tenant_id text,
        operation text NOT NULL,
        targets text[] NOT NULL DEFAULT '{}',
        outcome text NOT NULL,
        arguments jsonb,
        trace_id text
      )`);
    // A tenant admin's page (newest first, one tenant) and a platform admin's (every tenant).
    await q.query('CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at DESC, id DESC)');
    await q.query('CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_log');
  }
}
