import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lookup sources (issue 19, the Integration plan: docs/product-rules.md §9): a tenant's own
 * database asked for the caller during the ring. The credentials are sealed (SecretSealer); the
 * last error is kept for the tenant's admin. `tenant_plans` is billing's newest contract per
 * tenant (billing.contracts.v1), because only the Integration plan looks sources up.
 * `popup_cards` holds the cards a source sent after the popup went out (the popup itself is
 * stored once, as it rang); `lookup_writebacks` the notes written back, once per call and record.
 */
export class LookupSources1764400360000 implements MigrationInterface {
  name = 'LookupSources1764400360000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lookup_sources (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('HTTPS', 'KINTONE', 'FILEMAKER')),
        enabled boolean NOT NULL DEFAULT true,
        budget_ms integer NOT NULL DEFAULT 300 CHECK (budget_ms BETWEEN 50 AND 1000),
        settings jsonb NOT NULL,
        sealed_secret text NOT NULL,
        last_ok_at timestamptz,
        last_error_code text,
        last_error_detail text,
        last_error_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, name)
      )`);
    await q.query('CREATE INDEX lookup_sources_tenant ON lookup_sources (tenant_id) WHERE enabled');
    await q.query(`
      CREATE TABLE tenant_plans (
        tenant_id uuid PRIMARY KEY,
        plan_code text NOT NULL,
        status text NOT NULL,
        contract_version integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE popup_cards (
        tenant_id uuid NOT NULL,
        call_id text NOT NULL,
        cards jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, call_id)
      )`);
    await q.query(`
      CREATE TABLE lookup_writebacks (
        tenant_id uuid NOT NULL,
        call_id text NOT NULL,
        source_id uuid NOT NULL,
        record_id text NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, call_id, source_id, record_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE lookup_writebacks, popup_cards, tenant_plans, lookup_sources');
  }
}
