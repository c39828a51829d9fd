import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Seats1764400400000 implements MigrationInterface {
  name = 'Seats1764400400000';

  async up(q: QueryRunner): Promise<void> {
    // Rows are never deleted: billing charges a PC for every month it was registered in at any time.
    await q.query(`
      CREATE TABLE seats (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        device_id text NOT NULL CHECK (length(device_id) BETWEEN 1 AND 200),
        name text NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id),
        registered_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        registered_by uuid,
        deregistered_at timestamptz,
        CHECK (deregistered_at IS NULL OR deregistered_at >= registered_at)
      )`);
    await q.query(
      'CREATE UNIQUE INDEX seats_one_live_per_device ON seats (tenant_id, device_id) WHERE deregistered_at IS NULL',
    );
    await q.query('CREATE INDEX seats_tenant_period ON seats (tenant_id, registered_at, deregistered_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE seats');
  }
}
