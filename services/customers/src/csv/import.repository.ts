import { Injectable } from '@nestjs/common';
import { isUuid, KEYED_RECORDS_TOPIC } from '@thankstar/contracts';
import { DomainError, enqueueEvent } from '@thankstar/platform';
import type { EntityManager } from 'typeorm';
import { type CustomerRow, customerColumns, toCustomer } from '../customers/customers.repository';
import type { CustomerRecord, ExistingCustomer, PhoneRecord } from './import-chunk';

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
  /** Created + actually changed rows of a data-entry import that was not a dry run (list input per record). */
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

/** Why a job is FAILED when the process running it died. */
export const INTERRUPTED = {
  code: 'IMPORT_INTERRUPTED',
  message:
    'The import stopped because the service running it stopped (restart or crash). The rows counted in rowsProcessed were saved; re-importing the file is safe, rows upsert on 顧客ID.',
} as const;

/** The columns a customers row is bound with in the set-based writes (json_to_recordset): its own, no audit ones. */
const RECORD_COLUMNS = `id uuid, external_id text, name text, name_kana text, company text, department text, emails text[],
  postal_code text, prefecture text, city text, street text, building text, tags text[], notes text, owner_id text,
  custom_fields jsonb`;

const statements = {
  startJob: `
    INSERT INTO import_jobs (tenant_id, id, status, dry_run, data_entry, encoding, bytes_total, created_by)
    VALUES ($1, $2, 'RUNNING', $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
  admissionLock: `SELECT pg_advisory_xact_lock(hashtext('customers.import-admission:' || $1))`,
  liveJobs: `
    SELECT count(*) AS n FROM import_jobs WHERE tenant_id = $1 AND status = 'RUNNING'
       AND updated_at >= now() - make_interval(secs => $2::double precision / 1000)`,
  uploaded: `UPDATE import_jobs SET bytes_read = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status = 'RUNNING'`,
  progress: `
    UPDATE import_jobs SET bytes_read = $3, rows_processed = $4, created = $5, updated = $6, rejected = $7,
      records_keyed = $8, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status = 'RUNNING'`,
  chunkCommitted: `
    WITH moved AS (
      UPDATE import_jobs SET bytes_read = $3, rows_processed = $4, created = $5, updated = $6, rejected = $7,
        records_keyed = $8, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status = 'RUNNING' RETURNING id)
    SELECT id FROM moved`,
  heartbeat: `UPDATE import_jobs SET updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status = 'RUNNING'`,
  finish: `
    WITH closed AS (
      UPDATE import_jobs SET status = $3, error_code = $4, error_message = $5, finished_at = now(), updated_at = now(),
        bytes_read = COALESCE($6, bytes_read), rows_processed = COALESCE($7, rows_processed),
        created = COALESCE($8, created), updated = COALESCE($9, updated), rejected = COALESCE($10, rejected)
       WHERE tenant_id = $1 AND id = $2 AND status = 'RUNNING' RETURNING *)
    SELECT * FROM closed`,
  failStale: `
    WITH failed AS (
      UPDATE import_jobs SET status = 'FAILED', error_code = $2, error_message = $3, finished_at = now(), updated_at = now()
       WHERE status = 'RUNNING' AND updated_at < now() - make_interval(secs => $1::double precision / 1000)
       RETURNING *)
    SELECT * FROM failed`,
  findJob: 'SELECT * FROM import_jobs WHERE tenant_id = $1 AND id = $2',
  recentJobs: 'SELECT * FROM import_jobs WHERE tenant_id = $1 ORDER BY started_at DESC, id LIMIT $2',
  tenantLock: `SELECT pg_advisory_xact_lock(hashtext('customers.import:' || $1))`,
  existingCustomers: `
    SELECT ${customerColumns},
      ARRAY(SELECT p.national_digits FROM customer_phones p WHERE p.tenant_id = c.tenant_id AND p.customer_id = c.id) AS phone_digits
      FROM customers c WHERE c.tenant_id = $1 AND c.external_id = ANY($2::text[])`,
  insertCustomers: `
    INSERT INTO customers (id, tenant_id, external_id, name, name_kana, company, department, emails, postal_code,
      prefecture, city, street, building, tags, notes, owner_id, custom_fields, created_by, updated_by)
    SELECT x.id, $1, x.external_id, x.name, x.name_kana, x.company, x.department, x.emails, x.postal_code,
      x.prefecture, x.city, x.street, x.building, x.tags, x.notes, x.owner_id, x.custom_fields, $3, $3
      FROM json_to_recordset($2::json) AS x(${RECORD_COLUMNS})
    ON CONFLICT (tenant_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
    RETURNING id`,
  updateCustomers: `
    WITH changed AS (UPDATE customers c SET name = x.name, name_kana = x.name_kana, company = x.company, department = x.department,
      emails = x.emails, postal_code = x.postal_code, prefecture = x.prefecture, city = x.city, street = x.street,
      building = x.building, tags = x.tags, notes = x.notes, owner_id = x.owner_id, custom_fields = x.custom_fields,
      updated_by = $3, updated_at = now()
      FROM json_to_recordset($2::json) AS x(${RECORD_COLUMNS})
     WHERE c.tenant_id = $1 AND c.id = x.id
       -- An unchanged row is not rewritten: re-importing the same spreadsheet writes nothing.
       AND (c.name, c.name_kana, c.company, c.department, c.emails, c.postal_code, c.prefecture, c.city, c.street,
            c.building, c.tags, c.notes, c.owner_id, c.custom_fields)
           IS DISTINCT FROM (x.name, x.name_kana, x.company, x.department, x.emails, x.postal_code, x.prefecture,
            x.city, x.street, x.building, x.tags, x.notes, x.owner_id, x.custom_fields)
     RETURNING c.id)
    SELECT id FROM changed`,
  insertPhones: `
    INSERT INTO customer_phones (tenant_id, customer_id, raw, e164, national_digits, type, label)
    SELECT $1, x.customer_id, x.raw, x.e164, x.national_digits, x.type, x.label
      FROM json_to_recordset($2::json) AS x(customer_id uuid, raw text, e164 text, national_digits text, type text, label text)`,
};

/** Every statement of the import, as sent (services/customers/sql/import.repository.sql is generated from it). */
export const importSql: Record<string, string> = statements;

/** A customers row as json_to_recordset binds it (RECORD_COLUMNS). */
const recordRow = ({ id, write }: CustomerRecord) => ({
  id,
  external_id: write.externalId ?? null,
  name: write.name,
  name_kana: write.nameKana,
  company: write.company,
  department: write.department,
  emails: write.emails,
  postal_code: write.address?.postalCode ?? null,
  prefecture: write.address?.prefecture ?? null,
  city: write.address?.city ?? null,
  street: write.address?.street ?? null,
  building: write.address?.building ?? null,
  tags: write.tags,
  notes: write.notes,
  owner_id: write.ownerId,
  custom_fields: write.customFields,
});

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

export interface NewImportJob {
  id: string;
  dryRun: boolean;
  dataEntry: boolean;
  encoding: string;
  bytesTotal: number | null;
  createdBy: string;
}

/**
 * Every statement of the CSV import (`importSql`). Import jobs are keyed by (tenant, id); their
 * progress is written outside the import's own transaction (autocommit), so another request sees
 * it while the import runs, dry runs included. The chunk writes are set-based: one read of the
 * existing customers by 顧客ID, one multi-row INSERT, one UPDATE and one INSERT of the numbers.
 */
@Injectable()
export class ImportRepository {
  /** False when the tenant already has a job with this id. */
  async start(m: EntityManager, tenantId: string, job: NewImportJob): Promise<boolean> {
    const rows: unknown[] = await m.query(statements.startJob, [
      tenantId,
      job.id,
      job.dryRun,
      job.dataEntry,
      job.encoding,
      job.bytesTotal,
      job.createdBy,
    ]);
    return rows.length > 0;
  }

  /**
   * Admission: the job is created only when the tenant has fewer than `max` live imports (RUNNING
   * with a heartbeat newer than `staleMs`: a dead process's job does not block). A short
   * transaction-scoped advisory lock makes count-then-insert atomic across replicas. Returns
   * 'TOO_MANY', 'EXISTS' (the id is taken) or 'STARTED'.
   */
  async admit(
    m: EntityManager,
    tenantId: string,
    job: NewImportJob,
    max: number,
    staleMs: number,
  ): Promise<'STARTED' | 'EXISTS' | 'TOO_MANY'> {
    return m.transaction(async (t) => {
      await t.query(statements.admissionLock, [tenantId]);
      const live: { n: string }[] = await t.query(statements.liveJobs, [tenantId, staleMs]);
      if (Number(live[0]?.n ?? 0) >= max) return 'TOO_MANY';
      return (await this.start(t, tenantId, job)) ? 'STARTED' : 'EXISTS';
    });
  }

  /** Bytes received so far while the upload is spooled (also the heartbeat). */
  async uploaded(m: EntityManager, tenantId: string, id: string, bytesRead: number): Promise<void> {
    await m.query(statements.uploaded, [tenantId, id, bytesRead]);
  }

  /**
   * Progress of a dry run, written outside its (rolled back) transaction so others see it. Also
   * the heartbeat: `updated_at` moves.
   */
  async progress(m: EntityManager, tenantId: string, id: string, p: ImportProgress): Promise<void> {
    await m.query(statements.progress, [
      tenantId,
      id,
      p.bytesRead,
      p.rowsProcessed,
      p.created,
      p.updated,
      p.rejected,
      p.recordsKeyed,
    ]);
  }

  /**
   * Progress of a real import, in the transaction that writes the chunk: `records_keyed` always
   * equals the keyed rows committed. Throws IMPORT_INTERRUPTED (rolling the chunk back) when the
   * job is no longer RUNNING because the sweeper declared it dead: its count was already sent.
   */
  async chunkCommitted(m: EntityManager, tenantId: string, id: string, p: ImportProgress): Promise<void> {
    const rows: unknown[] = await m.query(statements.chunkCommitted, [
      tenantId,
      id,
      p.bytesRead,
      p.rowsProcessed,
      p.created,
      p.updated,
      p.rejected,
      p.recordsKeyed,
    ]);
    if (rows.length === 0) throw new DomainError(INTERRUPTED.code);
  }

  /** The heartbeat of a running job between chunks (a slow upload): only `updated_at` moves. */
  async heartbeat(m: EntityManager, tenantId: string, id: string): Promise<void> {
    await m.query(statements.heartbeat, [tenantId, id]);
  }

  /**
   * Closes a job, in the caller's transaction: status, outcome, and for a data-entry import that
   * keyed records, the `customers.keyed-records.v1` event through the outbox, so billing counts
   * exactly what was recorded here. Only a RUNNING job is closed: one the sweeper already failed
   * (and reported) is left as it is. Dry-run progress (`p`) is written here; a real import's
   * counters were written with each chunk and are not touched.
   */
  async finish(
    m: EntityManager,
    tenantId: string,
    id: string,
    p: ImportProgress | null,
    error: { code: string; message: string } | null,
  ): Promise<void> {
    const rows: JobRow[] = await m.query(statements.finish, [
      tenantId,
      id,
      error ? 'FAILED' : 'SUCCEEDED',
      error?.code ?? null,
      error?.message ?? null,
      p?.bytesRead ?? null,
      p?.rowsProcessed ?? null,
      p?.created ?? null,
      p?.updated ?? null,
      p?.rejected ?? null,
    ]);
    if (rows[0]) await this.reportKeyed(m, tenantId, rows[0]);
  }

  /**
   * Marks FAILED every RUNNING job whose heartbeat is older than `staleMs` (its process died) and
   * reports the records its committed chunks keyed, in one transaction. Returns the jobs failed.
   * Safe on every replica at once: a row is failed (and reported) by one UPDATE only, and a live
   * import's chunk either commits first (its heartbeat is then fresh) or finds its job failed.
   */
  async failStale(m: EntityManager, staleMs: number): Promise<ImportJob[]> {
    const rows: (JobRow & { tenant_id: string })[] = await m.query(statements.failStale, [
      staleMs,
      INTERRUPTED.code,
      INTERRUPTED.message,
    ]);
    for (const r of rows) await this.reportKeyed(m, r.tenant_id, r);
    return rows.map(toJob);
  }

  /** The keyed-records event of a closed data-entry job, if it keyed anything. */
  private async reportKeyed(m: EntityManager, tenantId: string, r: JobRow): Promise<void> {
    if (!r.data_entry || r.dry_run || r.records_keyed <= 0) return;
    await enqueueEvent(m, {
      topic: KEYED_RECORDS_TOPIC,
      key: tenantId,
      tenantId,
      payload: {
        importJobId: r.id,
        records: r.records_keyed,
        startedAt: r.started_at.toISOString(),
        finishedAt: (r.finished_at ?? new Date()).toISOString(),
        outcome: r.status === 'FAILED' ? 'FAILED' : 'SUCCEEDED',
        errorCode: r.error_code,
      },
    });
  }

  async find(m: EntityManager, tenantId: string, id: string): Promise<ImportJob | null> {
    if (!isUuid(id)) return null;
    const rows: JobRow[] = await m.query(statements.findJob, [tenantId, id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  async recent(m: EntityManager, tenantId: string, limit: number): Promise<ImportJob[]> {
    const rows: JobRow[] = await m.query(statements.recentJobs, [tenantId, limit]);
    return rows.map(toJob);
  }

  /** One import per tenant at a time, until the transaction ends: two files with the same 顧客ID must not both create it. */
  async lockTenant(m: EntityManager, tenantId: string): Promise<void> {
    await m.query(statements.tenantLock, [tenantId]);
  }

  /** The tenant's customers with these 顧客IDs (trimmed), by 顧客ID, with the national digits of their numbers. */
  async existingByExternalId(
    m: EntityManager,
    tenantId: string,
    externalIds: readonly string[],
  ): Promise<Map<string, ExistingCustomer>> {
    const found = new Map<string, ExistingCustomer>();
    if (externalIds.length === 0) return found;
    const rows: (CustomerRow & { phone_digits: (string | null)[] })[] = await m.query(statements.existingCustomers, [
      tenantId,
      externalIds,
    ]);
    for (const r of rows)
      found.set(r.external_id as string, { customer: toCustomer(r), phoneDigits: new Set(r.phone_digits) });
    return found;
  }

  /**
   * Inserts the new customers in one statement; returns the ids inserted. A 顧客ID someone
   * created meanwhile is skipped (ON CONFLICT DO NOTHING), so its id is not returned.
   */
  async insertCustomers(
    m: EntityManager,
    tenantId: string,
    records: readonly CustomerRecord[],
    by: string,
  ): Promise<string[]> {
    if (records.length === 0) return [];
    const rows: { id: string }[] = await m.query(statements.insertCustomers, [
      tenantId,
      JSON.stringify(records.map(recordRow)),
      by,
    ]);
    return rows.map((r) => r.id);
  }

  /** Updates the customers in one statement; returns the ids of those that actually changed. */
  async updateCustomers(
    m: EntityManager,
    tenantId: string,
    records: readonly CustomerRecord[],
    by: string,
  ): Promise<string[]> {
    if (records.length === 0) return [];
    const rows: { id: string }[] = await m.query(statements.updateCustomers, [
      tenantId,
      JSON.stringify(records.map(recordRow)),
      by,
    ]);
    return rows.map((r) => r.id);
  }

  async insertPhones(m: EntityManager, tenantId: string, phones: readonly PhoneRecord[]): Promise<void> {
    if (phones.length === 0) return;
    await m.query(statements.insertPhones, [
      tenantId,
      JSON.stringify(
        phones.map((p) => ({
          customer_id: p.customerId,
          raw: p.raw,
          e164: p.e164,
          national_digits: p.nationalDigits,
          type: p.type,
          label: p.label,
        })),
      ),
    ]);
  }
}
