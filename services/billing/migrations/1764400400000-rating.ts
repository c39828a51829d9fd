import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Rated calls (one per tenant and call), operator presence and desktop seats from licensing. */
export class Rating1764400400000 implements MigrationInterface {
  name = 'Rating1764400400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rated_calls (
        tenant_id uuid NOT NULL,
        call_id text NOT NULL,
        popup_id uuid NOT NULL,
        class text NOT NULL,
        rang_at timestamptz NOT NULL,
        local_date date NOT NULL,
        popup_yen int NOT NULL CHECK (popup_yen >= 0),
        list_input_yen int NOT NULL CHECK (list_input_yen >= 0),
        amount_yen int NOT NULL CHECK (amount_yen = popup_yen + list_input_yen),
        exemption text CHECK (exemption IN ('CLOSED_DAY', 'AFTER_HOURS_UNATTENDED', 'NO_CONTRACT')),
        plan_version_id uuid,
        rated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, call_id)
      )`);
    await q.query('CREATE INDEX rated_calls_by_day ON rated_calls (tenant_id, local_date)');
    await q.query(`
      CREATE TABLE presence_intervals (
        lease_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        connected_at timestamptz,
        disconnected_at timestamptz
      )`);
    await q.query('CREATE INDEX presence_by_tenant ON presence_intervals (tenant_id, connected_at)');
    await q.query(`
      CREATE TABLE seats (
        seat_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        device_id text NOT NULL,
        registered_at timestamptz,
        deregistered_at timestamptz
      )`);
    await q.query('CREATE INDEX seats_by_tenant ON seats (tenant_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE seats');
    await q.query('DROP TABLE presence_intervals');
    await q.query('DROP TABLE rated_calls');
  }
}
