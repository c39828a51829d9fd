import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isUuid } from '../customers/uuid';

export type ImportJobStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** An import as it runs and after: what `importJob(id)` shows. */
export interface ImportJob {
  id: string;
  status: ImportJobStatus;
  dryRun: boolean;
  dataEntry: boolean;
  encoding: string;
  /** The upload's size when known (Content-Length, or the decoded base64), else null. */
  bytesTotal: number | null;
  bytesRead: number;
  rowsProcessed: number;
  created: number;
  updated: number;
  rejected: number;
  /** Created + updated rows of a data-entry import that was not a dry run (list input per record). */
  recordsKeyed: number;
  errorCode: string | null;
  errorMessage: string | null;
  createdBy: string;
  startedAt: string;
  finishedAt: string | null;
}

export interface ImportProgress {
  bytesRead: number;
  rowsProcessed: number;
  created: number;
  updated: number;
  rejected: number;
  recordsKeyed: number;
}

interface JobRow {
  id: string;
  status: ImportJobStatus;
  dry_run: boolean;
  data_entry: boolean;
  encoding: string;
  bytes_total: string | null;
  bytes_read: string;
  rows_processed: number;
  created: number;
  updated: number;
  rejected: number;
  records_keyed: number;
  error_code: string | null;
  error_message: string | null;
  created_by: string;
  started_at: Date;
  finished_at: Date | null;
}

const toJob = (r: JobRow): ImportJob => ({
  id: r.id,
  status: r.status,
  dryRun: r.dry_run,
  dataEntry: r.data_entry,
  encoding: r.encoding,
  bytesTotal: r.bytes_total === null ? null : Number(r.bytes_total),
  bytesRead: Number(r.bytes_read),
  rowsProcessed: r.rows_processed,
  created: r.created,
  updated: r.updated,
  rejected: r.rejected,
  recordsKeyed: r.records_keyed,
  errorCode: r.error_code,
  errorMessage: r.error_message,
  createdBy: r.created_by,
  startedAt: r.started_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
});

/**
 * Import jobs, keyed by (tenant, id). Progress is written outside the import's own transaction
 * (autocommit), so another request sees it while the import runs, dry runs included.
 */
@Injectable()
export class ImportJobsRepository {
  /** False when the tenant already has a job with this id. */
  async start(
    m: EntityManager,
    tenantId: string,
    job: {
      id: string;
      dryRun: boolean;
      dataEntry: boolean;
      encoding: string;
      bytesTotal: number | null;
      createdBy: string;
    },
  ): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO import_jobs (tenant_id, id, status, dry_run, data_entry, encoding, bytes_total, created_by)
       VALUES ($1, $2, 'RUNNING', $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
      [tenantId, job.id, job.dryRun, job.dataEntry, job.encoding, job.bytesTotal, job.createdBy],
    );
    return rows.length > 0;
  }

  async progress(m: EntityManager, tenantId: string, id: string, p: ImportProgress): Promise<void> {
    await m.query(
      `UPDATE import_jobs SET bytes_read = $3, rows_processed = $4, created = $5, updated = $6, rejected = $7,
         records_keyed = $8 WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, p.bytesRead, p.rowsProcessed, p.created, p.updated, p.rejected, p.recordsKeyed],
    );
  }

  async finish(
    m: EntityManager,
    tenantId: string,
    id: string,
    p: ImportProgress,
    error: { code: string; message: string } | null,
  ): Promise<void> {
    await this.progress(m, tenantId, id, p);
    await m.query(
      `UPDATE import_jobs SET status = $3, error_code = $4, error_message = $5, finished_at = now()
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, error ? 'FAILED' : 'SUCCEEDED', error?.code ?? null, error?.message ?? null],
    );
  }

  async find(m: EntityManager, tenantId: string, id: string): Promise<ImportJob | null> {
    if (!isUuid(id)) return null;
    const rows: JobRow[] = await m.query('SELECT * FROM import_jobs WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  async recent(m: EntityManager, tenantId: string, limit: number): Promise<ImportJob[]> {
    const rows: JobRow[] = await m.query(
      'SELECT * FROM import_jobs WHERE tenant_id = $1 ORDER BY started_at DESC, id LIMIT $2',
      [tenantId, limit],
    );
    return rows.map(toJob);
  }

  /** Records keyed by data-entry imports that started in the month (YYYY-MM, Japan time). */
  async keyedInMonth(m: EntityManager, tenantId: string, month: string): Promise<number> {
    const rows: { n: string }[] = await m.query(
      `SELECT COALESCE(sum(records_keyed), 0) AS n FROM import_jobs
        WHERE tenant_id = $1 AND data_entry AND NOT dry_run
          AND started_at >= ($2 || '-01')::date::timestamp AT TIME ZONE 'Asia/Tokyo'
          AND started_at < (($2 || '-01')::date + interval '1 month')::timestamp AT TIME ZONE 'Asia/Tokyo'`,
      [tenantId, month],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
