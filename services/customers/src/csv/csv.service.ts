import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { isUuid } from '@thankstar/contracts';
import { DomainError, type Principal } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { CONFIG, type CustomersConfig } from '../config';
import { CustomFieldsRepository } from '../custom-fields/custom-fields.repository';
import type { CustomFieldDefinition } from '../custom-fields/validate';
import type { CustomerPhone } from '../customers/customer';
import { CustomersRepository } from '../customers/customers.repository';
import { CustomersService } from '../customers/customers.service';
import { type ColumnTarget, mapColumns } from './columns';
import { encodeCsv, exportHeader, exportLine } from './csv-export';
import { type CsvEncoding, csvRecords, slices } from './csv-stream';
import { type ImportProgress, ImportRepository } from './import.repository';
import {
  externalIdOf,
  type ImportRow,
  inChunks,
  keyedRecords,
  type PendingRow,
  planChunk,
  ReportRows,
  settleInserts,
} from './import-chunk';
import { rowToCustomerInput } from './row';
import { PerKey, Slots, spoolToFile, tooManyImports } from './upload-guard';

export interface ImportOptions {
  encoding: CsvEncoding;
  dryRun: boolean;
  /** Header → field (`name`, `phone`, a custom field key...); '' skips the column. */
  mapping?: Record<string, string>;
  /**
   * Keyed in by the provider's data-entry staff: created rows and rows that actually changed count
   * for the per-record fee (an unchanged row of a re-import keys nothing).
   */
  dataEntry?: boolean;
  /** The caller's own id for the job (a UUID), so it can follow `importJob(id)` while the upload runs. */
  jobId?: string | null;
  /** The upload's size in bytes when known, for progress. */
  bytesTotal?: number | null;
}

export interface ImportReport {
  jobId: string;
  dryRun: boolean;
  created: number;
  updated: number;
  rejected: number;
  recordsKeyed: number;
  unmappedColumns: string[];
  /** Every rejected row, then created/updated rows up to REPORT_ROWS in all. */
  rows: ImportRow[];
  rowsTruncated: boolean;
}

const REPORT_ROWS = 1_000;

/** The configuration an import reads (src/config.ts), each value read when an import needs it. */
type ImportConfig = Pick<
  CustomersConfig,
  | 'IMPORT_MAX_PER_TENANT'
  | 'IMPORT_IDLE_TIMEOUT_MS'
  | 'IMPORT_PROCESSING_SLOTS'
  | 'IMPORT_HEARTBEAT_MS'
  | 'IMPORT_STALE_AFTER_MS'
  | 'CUSTOMERS_IMPORT_SPOOL_DIR'
>;

interface WrittenChunk {
  rows: ImportRow[];
  /** Distinct customers the chunk created or actually changed. */
  keyed: number;
}

/**
 * CSV import and export, the use cases: the job (admission, spooling, heartbeat, closing), then
 * the file read as a stream (csv-stream.ts), in chunks of rows planned in memory with the same
 * rules as createCustomer/updateCustomer (import-chunk.ts) and written set-based by the import
 * repository, one transaction per chunk. A bad row is rejected with its reasons and the others go
 * on. A dry run runs every chunk in one transaction and rolls it back, so its report is exactly
 * what a real run would do. Progress is stored per chunk in `import_jobs`. The export writes the
 * columns the import reads (csv-export.ts).
 */
@Injectable()
export class CsvService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly customersService: CustomersService,
    private readonly customers: CustomersRepository,
    private readonly customFields: CustomFieldsRepository,
    private readonly jobs: ImportRepository,
    @Inject(CONFIG) private readonly config: ImportConfig,
  ) {}

  /** Imports processed at once in this replica: each holds one pooled connection while it writes. */
  private readonly processing = new Slots(() => this.config.IMPORT_PROCESSING_SLOTS);
  /** A tenant's imports are processed one after the other (they would queue on its advisory lock). */
  private readonly tenantTurn = new PerKey();

  async import(principal: Principal, source: Buffer | Readable, options: ImportOptions): Promise<ImportReport> {
    const tenantId = principal.tenantId;
    const jobId = options.jobId ?? randomUUID();
    if (options.jobId != null && !isUuid(options.jobId)) throw new DomainError('INVALID_IMPORT_JOB_ID');
    const bytesTotal = Buffer.isBuffer(source) ? source.length : (options.bytesTotal ?? null);
    const perTenant = this.config.IMPORT_MAX_PER_TENANT;
    const admitted = await this.jobs.admit(
      this.dataSource.manager,
      tenantId,
      {
        id: jobId,
        dryRun: options.dryRun,
        dataEntry: options.dataEntry ?? false,
        encoding: options.encoding,
        bytesTotal,
        createdBy: principal.userId,
      },
      perTenant,
      this.config.IMPORT_STALE_AFTER_MS,
    );
    if (admitted === 'TOO_MANY') {
      // Nothing of the refused upload is read: the HTTP layer closes the connection.
      if (!Buffer.isBuffer(source)) source.destroy();
      throw tooManyImports(perTenant);
    }
    if (admitted === 'EXISTS') throw new DomainError('IMPORT_JOB_EXISTS', { jobId });
    const progress: ImportProgress = {
      bytesRead: 0,
      rowsProcessed: 0,
      created: 0,
      updated: 0,
      rejected: 0,
      recordsKeyed: 0,
    };
    let spooling = !Buffer.isBuffer(source);
    // The heartbeat (every IMPORT_HEARTBEAT_MS, between chunks: a slow upload, a wait for the
    // tenant's lock) is one autocommit statement: between beats nothing of the pool is held.
    const heartbeat = setInterval(() => {
      const beat = spooling
        ? this.jobs.uploaded(this.dataSource.manager, tenantId, jobId, progress.bytesRead)
        : this.jobs.heartbeat(this.dataSource.manager, tenantId, jobId);
      beat.catch(() => undefined);
    }, this.config.IMPORT_HEARTBEAT_MS);
    // The job is closed (and a data-entry import's keyed records sent to billing) in one transaction.
    const finish = (error: { code: string; message: string } | null) =>
      this.dataSource.transaction((m) => this.jobs.finish(m, tenantId, jobId, progress, error));
    let spooled: string | null = null;
    try {
      // The whole upload is on local disk before any connection or lock is taken for it.
      let input: Readable;
      if (Buffer.isBuffer(source)) input = slices(source);
      else {
        // Bytes received show in importJob a moment after they arrive: at most one autocommit per
        // 500 ms, never while the previous one runs, and none once the upload is in.
        let pendingShow: NodeJS.Timeout | null = null;
        const show = () => {
          pendingShow = null;
          if (!spooling) return;
          this.jobs.uploaded(this.dataSource.manager, tenantId, jobId, progress.bytesRead).catch(() => undefined);
        };
        try {
          const spool = { dir: this.config.CUSTOMERS_IMPORT_SPOOL_DIR, idleMs: this.config.IMPORT_IDLE_TIMEOUT_MS };
          spooled = await spoolToFile(source, jobId, spool, (n) => {
            progress.bytesRead += n;
            pendingShow ??= setTimeout(show, 500);
          });
        } finally {
          if (pendingShow) clearTimeout(pendingShow);
        }
        spooling = false;
        await this.jobs.uploaded(this.dataSource.manager, tenantId, jobId, progress.bytesRead);
        input = createReadStream(spooled);
      }
      const countBytes = Buffer.isBuffer(source);
      const report = await this.tenantTurn.run(tenantId, () =>
        this.processing.run(() => this.run(principal, input, options, jobId, progress, countBytes)),
      );
      clearInterval(heartbeat);
      await finish(null);
      return report;
    } catch (err) {
      clearInterval(heartbeat);
      const known = err instanceof DomainError;
      await finish({
        code: known ? err.code : 'INTERNAL',
        message: known ? err.message : 'The import failed on our side.',
      });
      // Rows of chunks already committed stay: a re-run upserts them again by external id.
      if (known && !options.dryRun && progress.rowsProcessed > 0)
        throw err.withNote('importPartlySaved', { jobId, rows: progress.rowsProcessed });
      throw err;
    } finally {
      if (spooled) await unlink(spooled).catch(() => undefined);
    }
  }

  private async run(
    principal: Principal,
    input: Readable,
    options: ImportOptions,
    jobId: string,
    progress: ImportProgress,
    /** False for a spooled upload: its bytes were counted as they arrived. */
    countBytes: boolean,
  ): Promise<ImportReport> {
    const tenantId = principal.tenantId;
    const definitions = await this.customFields.list(this.dataSource.manager, tenantId);
    const report = new ReportRows(REPORT_ROWS);
    let unmappedColumns: string[] = [];
    const keyed = (options.dataEntry ?? false) && !options.dryRun;

    // A dry run keeps one transaction open for every chunk and rolls it back at the end.
    const dry = options.dryRun ? this.dataSource.createQueryRunner() : null;
    if (dry) {
      await dry.connect();
      await dry.startTransaction();
      await this.jobs.lockTenant(dry.manager, tenantId);
    }
    /** The counters once this chunk is in (bytesRead keeps moving while the next chunk is parsed). */
    const after = (chunk: PendingRow[], written: WrittenChunk): ImportProgress => {
      const n = (a: ImportRow['action']) => written.rows.filter((r) => r.action === a).length;
      return {
        bytesRead: progress.bytesRead,
        rowsProcessed: progress.rowsProcessed + chunk.length,
        created: progress.created + n('CREATE'),
        updated: progress.updated + n('UPDATE'),
        rejected: progress.rejected + n('REJECT'),
        recordsKeyed: keyed ? progress.recordsKeyed + written.keyed : 0,
      };
    };
    const apply = (written: WrittenChunk, next: ImportProgress) => {
      report.add(written.rows);
      progress.rowsProcessed = next.rowsProcessed;
      progress.created = next.created;
      progress.updated = next.updated;
      progress.rejected = next.rejected;
      progress.recordsKeyed = next.recordsKeyed;
    };
    const flush = async (chunk: PendingRow[]) => {
      if (chunk.length === 0) return;
      if (dry) {
        const written = await this.writeChunk(dry.manager, principal, chunk, definitions);
        apply(written, after(chunk, written));
        await this.jobs.progress(this.dataSource.manager, tenantId, jobId, progress);
        return;
      }
      // The counters (records keyed included) commit with the rows they count.
      const [written, next] = await this.dataSource.transaction(async (m) => {
        await this.jobs.lockTenant(m, tenantId);
        const w = await this.writeChunk(m, principal, chunk, definitions);
        const n = after(chunk, w);
        await this.jobs.chunkCommitted(m, tenantId, jobId, n);
        return [w, n] as const;
      });
      apply(written, next);
    };

    // The data rows as customer input, once the header row has told what each column holds.
    const records = csvRecords(input, options.encoding, (n) => {
      if (countBytes) progress.bytesRead += n;
    });
    const rows = async function* (): AsyncGenerator<PendingRow> {
      let columns: (ColumnTarget | null)[] | null = null;
      for await (const { line, cells } of records) {
        if (!columns) {
          const mapped = mapColumns(cells, definitions, options.mapping);
          if (mapped.problems.length > 0)
            throw new DomainError('CSV_COLUMNS', {
              reason: {
                ja: mapped.problems.map((p) => p.ja).join(''),
                en: mapped.problems.map((p) => p.en).join(' '),
              },
            });
          unmappedColumns = mapped.unmapped;
          columns = mapped.columns;
          continue;
        }
        yield { line, input: rowToCustomerInput(cells, columns) };
      }
    };

    // One chunk is written while the next one is parsed (Node parses, Postgres writes: two cores).
    // A chunk is read and written only after the previous one committed, so a 顧客ID repeated in a
    // later chunk sees the earlier row.
    let inFlight: Promise<void> = Promise.resolve();
    try {
      // A file that cannot be read fails as CSV_UNREADABLE (csvRecords); a failed write fails as it is.
      for await (const chunk of inChunks(rows())) {
        await inFlight;
        inFlight = flush(chunk);
        inFlight.catch(() => undefined); // awaited by the next chunk or at the end
      }
      await inFlight;
    } finally {
      await inFlight.catch(() => undefined);
      if (dry) {
        await dry.rollbackTransaction().catch(() => undefined);
        await dry.release();
      }
    }
    const { rows: reported, truncated } = report.rows();
    return {
      jobId,
      dryRun: options.dryRun,
      created: report.created,
      updated: report.updated,
      rejected: report.rejected,
      recordsKeyed: progress.recordsKeyed,
      unmappedColumns,
      rows: reported,
      rowsTruncated: truncated,
    };
  }

  /** Plans one chunk in memory and writes it set-based; returns each row's outcome and the records it keyed. */
  private async writeChunk(
    m: EntityManager,
    principal: Principal,
    chunk: PendingRow[],
    definitions: readonly CustomFieldDefinition[],
  ): Promise<WrittenChunk> {
    const tenantId = principal.tenantId;
    const externalIds = [...new Set(chunk.map((r) => externalIdOf(r.input)).filter((x): x is string => x !== null))];
    const existing = await this.jobs.existingByExternalId(m, tenantId, externalIds);
    const plan = await planChunk(chunk, existing, (found, input) =>
      this.customersService.prepare(m, tenantId, found, input, definitions),
    );
    const created = await this.jobs.insertCustomers(m, tenantId, plan.inserts, principal.userId);
    const phones = settleInserts(plan, new Set(created));
    const changed = await this.jobs.updateCustomers(m, tenantId, plan.updates, principal.userId);
    await this.jobs.insertPhones(m, tenantId, phones);
    return { rows: plan.rows, keyed: keyedRecords(created, changed, phones) };
  }

  /** Every customer of the tenant, in kana order, with the headers an import reads back. */
  async export(tenantId: string, encoding: CsvEncoding): Promise<Buffer> {
    const m = this.dataSource.manager;
    const definitions = await this.customFields.list(m, tenantId);
    const lines: string[][] = [exportHeader(definitions)];
    const pageSize = 1_000;
    for (let offset = 0; ; offset += pageSize) {
      const { items } = await this.customers.search(m, tenantId, {}, { offset, limit: pageSize }, 'KANA_ASC');
      if (items.length === 0) break;
      const phonesOf = new Map<string, CustomerPhone[]>();
      for (const p of await this.customers.phonesOf(
        m,
        tenantId,
        items.map((c) => c.id),
      ))
        phonesOf.set(p.customerId, [...(phonesOf.get(p.customerId) ?? []), p]);
      for (const c of items) lines.push(exportLine(c, phonesOf.get(c.id) ?? [], definitions));
    }
    return encodeCsv(lines, encoding);
  }
}
