import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leases claim one of their tenant's slot rows in a single statement (`FOR UPDATE SKIP LOCKED`),
 * instead of counting under a per-tenant advisory lock held across several round trips.
 * The usage level is derived from the events when read, so it is no longer written under a lock;
 * session events reach the outbox in batches (one NOTIFY per batch, not per lease).
 */
export class LeaseSlots1764400500000 implements MigrationInterface {
  name = 'LeaseSlots1764400500000';

  async up(q: QueryRunner): Promise<void> {
    // Slots 1..100 of a tenant, created on its first lease. A slot is usable while its number is
    // within the tenant's capacity; the only index is the primary key, so claims are HOT updates.
    await q.query(`
      CREATE TABLE lease_slots (
        tenant_id uuid NOT NULL,
        slot smallint NOT NULL CHECK (slot BETWEEN 1 AND 100),
        lease_id uuid,
        expires_at timestamptz,
        PRIMARY KEY (tenant_id, slot),
        CHECK ((lease_id IS NULL) = (expires_at IS NULL))
      )`);
    await q.query('ALTER TABLE leases ADD COLUMN slot smallint');
    await q.query('CREATE INDEX leases_tenant_acquired ON leases (tenant_id, acquired_at)');
    // Live leases keep their connection: give each one a slot, in the order they were granted.
    await q.query(`
      INSERT INTO lease_slots (tenant_id, slot)
      SELECT t.tenant_id, g FROM (SELECT DISTINCT tenant_id FROM leases WHERE ended_at IS NULL) t,
             generate_series(1, 100) g`);
    await q.query(`
      WITH numbered AS (
        SELECT id, tenant_id, expires_at,
               row_number() OVER (PARTITION BY tenant_id ORDER BY acquired_at, id) AS slot
        FROM leases WHERE ended_at IS NULL
      ), placed AS (
        UPDATE lease_slots s SET lease_id = n.id, expires_at = n.expires_at
        FROM numbered n WHERE s.tenant_id = n.tenant_id AND s.slot = n.slot
        RETURNING n.id, n.slot
      )
      UPDATE leases l SET slot = p.slot FROM placed p WHERE l.id = p.id`);
    // The level is the running sum of the events (granted +1, ended −1), computed when read.
    await q.query('ALTER TABLE lease_usage DROP COLUMN in_use');
    // Grants and ends still to be published on licensing.sessions.v1 (refusals are not published).
    await q.query('ALTER TABLE lease_usage ADD COLUMN unpublished boolean NOT NULL DEFAULT false');
    await q.query('CREATE INDEX lease_usage_unpublished ON lease_usage (id) WHERE unpublished');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX lease_usage_unpublished');
    await q.query('ALTER TABLE lease_usage DROP COLUMN unpublished');
    await q.query('ALTER TABLE lease_usage ADD COLUMN in_use integer');
    await q.query(`
      UPDATE lease_usage u SET in_use = greatest(0, x.level) FROM (
        SELECT id, sum(CASE kind WHEN 'granted' THEN 1 WHEN 'refused' THEN 0 ELSE -1 END)
                 OVER (PARTITION BY tenant_id ORDER BY at, id) AS level
        FROM lease_usage) x WHERE u.id = x.id`);
    await q.query('ALTER TABLE lease_usage ALTER COLUMN in_use SET NOT NULL');
    await q.query('DROP INDEX leases_tenant_acquired');
    await q.query('ALTER TABLE leases DROP COLUMN slot');
    await q.query('DROP TABLE lease_slots');
  }
}
