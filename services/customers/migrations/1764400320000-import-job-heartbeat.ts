import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A running import's heartbeat: `updated_at` moves with every chunk and every few seconds while
 * the upload streams in. A RUNNING job whose heartbeat stopped belonged to a process that died;
 * the sweeper marks it FAILED (IMPORT_INTERRUPTED) instead of leaving it RUNNING forever.
 */
export class ImportJobHeartbeat1764400320000 implements MigrationInterface {
  name = 'ImportJobHeartbeat1764400320000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE import_jobs ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()');
    await q.query(`CREATE INDEX import_jobs_running ON import_jobs (updated_at) WHERE status = 'RUNNING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX import_jobs_running');
    await q.query('ALTER TABLE import_jobs DROP COLUMN updated_at');
  }
}
