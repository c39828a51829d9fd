import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CSV imports as jobs: progress while they run (rows and bytes processed), the outcome after,
 * and the records keyed by the provider's data-entry staff (list input billed per record).
 */
export class ImportJobs1764400310000 implements MigrationInterface {
  name = 'ImportJobs1764400310000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE import_jobs (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
        dry_run boolean NOT NULL,
        data_entry boolean NOT NULL DEFAULT false,
        encoding text NOT NULL,
        bytes_total bigint,
        bytes_read bigint NOT NULL DEFAULT 0,
        rows_processed integer NOT NULL DEFAULT 0,
        created integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        rejected integer NOT NULL DEFAULT 0,
        records_keyed integer NOT NULL DEFAULT 0,
        error_code text,
        error_message text,
        created_by text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        PRIMARY KEY (tenant_id, id)
      )`);
    await q.query('CREATE INDEX import_jobs_started ON import_jobs (tenant_id, started_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE import_jobs');
  }
}
