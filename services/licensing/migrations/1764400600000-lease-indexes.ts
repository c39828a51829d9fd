import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live leases and their expiry are now read from `lease_slots`; these partial indexes only made
 * every lease insert and end dearer (and an end could never be a HOT update).
 */
export class LeaseIndexes1764400600000 implements MigrationInterface {
  name = 'LeaseIndexes1764400600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX leases_open');
    await q.query('DROP INDEX leases_open_expiry');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX leases_open ON leases (tenant_id, expires_at) WHERE ended_at IS NULL');
    await q.query('CREATE INDEX leases_open_expiry ON leases (expires_at) WHERE ended_at IS NULL');
  }
}
