import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The month a rated call is billed in (docs/decisions/0007-late-data.md): its own local month,
 * or, when it was rated after that month's invoice was issued, the first later month without an
 * issued invoice. Calls rated so far were billed (or will be) in their own month.
 */
export class BilledMonth1764400900000 implements MigrationInterface {
  name = 'BilledMonth1764400900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE rated_calls ADD COLUMN billed_month text');
    await q.query(`UPDATE rated_calls SET billed_month = to_char(local_date, 'YYYY-MM')`);
    await q.query('ALTER TABLE rated_calls ALTER COLUMN billed_month SET NOT NULL');
    // Never earlier than the call's own month: late usage moves forward only.
    await q.query(`ALTER TABLE rated_calls ADD CONSTRAINT rated_calls_billed_month_check
      CHECK (billed_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$' AND billed_month >= to_char(local_date, 'YYYY-MM'))`);
    // Only late calls are indexed (billed after their own month: a handful), so rating's hot insert
    // path pays no extra index entry for on-time calls; the close finds its on-time calls through
    // rated_calls_by_day and its late ones here. The predicate must be immutable, hence make_date
    // rather than to_char, and the close repeats it word for word (LATE_CALL in invoicing.service.ts).
    await q.query(`CREATE INDEX rated_calls_late ON rated_calls (tenant_id, billed_month)
      WHERE make_date(substr(billed_month, 1, 4)::int, substr(billed_month, 6, 2)::int, 1) > local_date`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX rated_calls_late');
    await q.query('ALTER TABLE rated_calls DROP CONSTRAINT rated_calls_billed_month_check');
    await q.query('ALTER TABLE rated_calls DROP COLUMN billed_month');
  }
}
