import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a late presence event needs to re-rate an after-hours call: how the calendar saw the
 * ring time and the list-input surcharge that applies if the call is billed.
 */
export class RatedCallInputs1764400600000 implements MigrationInterface {
  name = 'RatedCallInputs1764400600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE rated_calls ADD COLUMN day_kind text CHECK (day_kind IN ('closed-day', 'business-hours', 'after-hours'))`,
    );
    await q.query('ALTER TABLE rated_calls ADD COLUMN list_input_surcharge_yen int NOT NULL DEFAULT 0');
    await q.query(
      `CREATE INDEX rated_calls_after_hours ON rated_calls (tenant_id, rang_at) WHERE day_kind = 'after-hours'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX rated_calls_after_hours');
    await q.query('ALTER TABLE rated_calls DROP COLUMN list_input_surcharge_yen');
    await q.query('ALTER TABLE rated_calls DROP COLUMN day_kind');
  }
}
