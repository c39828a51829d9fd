import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * List input per record: the records counted from customers' data-entry imports
 * (`customers.keyed-records.v1`), one row per import job, and the back office's manual
 * adjustment per month (formerly the month's whole figure, typed in by hand). The month's
 * keyed records are the sum of the two.
 */
export class KeyedImports1764400800000 implements MigrationInterface {
  name = 'KeyedImports1764400800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE keyed_imports (
        tenant_id uuid NOT NULL,
        import_job_id uuid NOT NULL,
        -- The month billed: keyed_month, or the first later month not invoiced yet when the event
        -- arrived after keyed_month's invoice was issued.
        month text NOT NULL,
        -- The month of started_at in the tenant's timezone.
        keyed_month text NOT NULL,
        records int NOT NULL CHECK (records > 0),
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        outcome text NOT NULL,
        event_id uuid NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, import_job_id)
      )`);
    await q.query('CREATE INDEX keyed_imports_by_month ON keyed_imports (tenant_id, month)');
    // What was typed in by hand so far stays the month's figure: with no counted imports for
    // those months, adjustment = the old total.
    await q.query('ALTER TABLE keyed_records RENAME TO keyed_record_adjustments');
    await q.query('ALTER TABLE keyed_record_adjustments RENAME COLUMN records TO adjustment');
    await q.query('ALTER TABLE keyed_record_adjustments DROP CONSTRAINT keyed_records_records_check');
    await q.query('ALTER TABLE keyed_record_adjustments ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE keyed_record_adjustments DROP COLUMN updated_at');
    await q.query('UPDATE keyed_record_adjustments SET adjustment = 0 WHERE adjustment < 0');
    await q.query(
      'ALTER TABLE keyed_record_adjustments ADD CONSTRAINT keyed_records_records_check CHECK (adjustment >= 0)',
    );
    await q.query('ALTER TABLE keyed_record_adjustments RENAME COLUMN adjustment TO records');
    await q.query('ALTER TABLE keyed_record_adjustments RENAME TO keyed_records');
    await q.query('DROP TABLE keyed_imports');
  }
}
