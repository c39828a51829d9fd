import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Leases1764400200000 implements MigrationInterface {
  name = 'Leases1764400200000';

  async up(q: QueryRunner): Promise<void> {
    // Packs as billing last told us; no foreign key: the contract event may arrive before the tenant.
    await q.query(`
      CREATE TABLE tenant_connection_packs (
        tenant_id uuid PRIMARY KEY,
        connection_packs integer NOT NULL CHECK (connection_packs BETWEEN 0 AND 19),
        contract_id uuid NOT NULL,
        contract_version bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE leases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL,
        user_name text NOT NULL,
        device_kind text NOT NULL CHECK (device_kind IN ('web', 'mobile')),
        label text NOT NULL,
        acquired_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN ('closed', 'expired', 'ended-by-admin')),
        CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      )`);
    await q.query('CREATE INDEX leases_open ON leases (tenant_id, expires_at) WHERE ended_at IS NULL');
    await q.query('CREATE INDEX leases_open_expiry ON leases (expires_at) WHERE ended_at IS NULL');
    // One row per grant, release, expiry and refusal; in_use is the tenant's count right after it,
    // written under the tenant's lock, so the usage chart is exact.
    await q.query(`
      CREATE TABLE lease_usage (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        lease_id uuid,
        kind text NOT NULL CHECK (kind IN ('granted', 'released', 'expired', 'ended-by-admin', 'refused')),
        at timestamptz NOT NULL,
        in_use integer NOT NULL CHECK (in_use >= 0),
        capacity integer NOT NULL
      )`);
    await q.query('CREATE INDEX lease_usage_tenant_at ON lease_usage (tenant_id, at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE lease_usage');
    await q.query('DROP TABLE leases');
    await q.query('DROP TABLE tenant_connection_packs');
  }
}
