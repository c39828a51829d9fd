import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { PassThrough, pipeline, Readable, Transform } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { isUuid } from '@thankstar/contracts';
import { DomainError, type Principal } from '@thankstar/platform';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { DataSource, type EntityManager } from 'typeorm';
import { CustomFieldsRepository } from '../custom-fields/custom-fields.repository';
import { type CustomFieldDefinition, displayValues } from '../custom-fields/validate';
import type { Customer } from '../customers/customer';
import { type CustomerRow, CustomersRepository, customerColumns, toCustomer } from '../customers/customers.repository';
import { type CustomerInput, CustomersService } from '../customers/customers.service';
import { checkCount, enforce } from '../customers/limits';
import { phoneKeys } from '../customers/phone-keys';
import { type ColumnTarget, mapColumns } from './columns';
import { refuseUtf8 } from './encoding-sniff';
import { escapeFormulaCell, QUOTED_CELL, unescapeFormulaCell } from './formula-cells';
import { ImportJobsRepository, type ImportProgress } from './import-jobs.repository';
import { STALE_MS } from './import-jobs.sweeper';
import { rowToCustomerInput } from './row';
import { importLimits, PerKey, Slots, spoolToFile, tooManyImports } from './upload-guard';

export type CsvEncoding = 'UTF8' | 'SHIFT_JIS';

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

export interface ImportRow {
  /** Line number in the file, the header being line 1. */
  line: number;
  action: 'CREATE' | 'UPDATE' | 'REJECT';
  externalId: string | null;
  name: string | null;
  problems: string[];
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

export const MAX_ROWS = 1_000_000;
const REPORT_ROWS = 1_000;
/** Rows validated and written together: one read, at most three writes, one commit. */
const CHUNK_ROWS = 2_000;
/** Excel and FileMaker in Japan write "Shift_JIS" that is really Windows-31J (①, ㈱, NEC/IBM extensions). */
const charset = (e: CsvEncoding) => (e === 'SHIFT_JIS' ? 'cp932' : 'utf8');
/** How often a running import says it is alive, between chunks (a slow upload, a wait for the tenant's lock). */
const HEARTBEAT_MS = Number(process.env.IMPORT_HEARTBEAT_MS ?? 10_000);

interface WrittenChunk {
  rows: ImportRow[];
  /** Distinct customers the chunk created or actually changed. */
  keyed: number;
}

interface PendingRow {
  line: number;
  input: CustomerInput;
}

/** A customers row as the set-based writes bind it (json_to_recordset): its own columns, no audit ones. */
type CustomerRecord = Omit<
  CustomerRow,
  'tenant_id' | 'created_by' | 'updated_by' | 'created_at' | 'updated_at' | 'custom_fields'
> & { custom_fields: Record<string, unknown> };

const RECORD_COLUMNS = `id uuid, external_id text, name text, name_kana text, company text, department text, emails text[],
  postal_code text, prefecture text, city text, street text, building text, tags text[], notes text, owner_id text,
  custom_fields jsonb`;

/** The file in 64 KB slices, so a base64 upload reports progress like a streamed one. */
function slices(file: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < file.length; i += 65_536) yield file.subarray(i, i + 65_536);
    })(),
  );
}

/**
 * CSV import and export. The file is parsed as a stream; rows are validated in memory (the same
 * rules as createCustomer/updateCustomer) and written set-based, CHUNK_ROWS at a time: one read of
 * the existing records by external id (顧客ID), one multi-row INSERT, one UPDATE and one INSERT of
 * the numbers, one transaction per chunk. A bad row is rejected with its reasons and the others go
 * on. A dry run runs every chunk in one transaction and rolls it back, so its report is exactly
 * what a real run would do. Progress is stored per chunk in `import_jobs`.
 */
@Injectable()
export class CsvService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly customersService: CustomersService,
    private readonly customers: CustomersRepository,
    private readonly customFields: CustomFieldsRepository,
    private readonly jobs: ImportJobsRepository,
  ) {}

  /** Imports processed at once in this replica: each holds one pooled connection while it writes. */
  private readonly processing = new Slots(() => importLimits().processingSlots);
  /** A tenant's imports are processed one after the other (they would queue on its advisory lock). */
  private readonly tenantTurn = new PerKey();

  async import(principal: Principal, source: Buffer | Readable, options: ImportOptions): Promise<ImportReport> {
    const tenantId = principal.tenantId;
    const jobId = options.jobId ?? randomUUID();
    if (options.jobId != null && !isUuid(options.jobId)) throw new DomainError('INVALID_IMPORT_JOB_ID');
    const bytesTotal = Buffer.isBuffer(source) ? source.length : (options.bytesTotal ?? null);
    const guard = importLimits();
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
      guard.perTenant,
      STALE_MS,
    );
    if (admitted === 'TOO_MANY') {
      // Nothing of the refused upload is read: the HTTP layer closes the connection.
      if (!Buffer.isBuffer(source)) source.destroy();
      throw tooManyImports(guard.perTenant);
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
    // The heartbeat is one autocommit statement: between beats nothing of the pool is held.
    const heartbeat = setInterval(() => {
      const beat = spooling
        ? this.jobs.uploaded(this.dataSource.manager, tenantId, jobId, progress.bytesRead)
        : this.jobs.heartbeat(this.dataSource.manager, tenantId, jobId);
      beat.catch(() => undefined);
    }, HEARTBEAT_MS);
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
          spooled = await spoolToFile(source, jobId, guard.idleMs, (n) => {
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
    const utf8 = options.encoding === 'UTF8';
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        if (countBytes) progress.bytesRead += chunk.length;
        done(null, chunk);
      },
    });
    const utf8Check = new Transform({
      decodeStrings: false,
      transform(text: string, _enc, done) {
        if (utf8 && text.includes('\uFFFD'))
          done(
            new DomainError('CSV_ENCODING', {
              reason: {
                ja: 'ファイルが UTF-8 として読めません。Shift_JIS（Excel）で保存されている場合は、文字コードに SHIFT_JIS を選んでもう一度お試しください。',
                en: 'The file is not valid UTF-8. Is it Shift_JIS (Excel)? Choose SHIFT_JIS and retry.',
              },
            }),
          );
        else done(null, text);
      },
    });
    // A UTF-8 file declared Shift_JIS decodes without an error, as mojibake: refused before any
    // non-ASCII byte reaches the parser (see encoding-sniff.ts), so nothing is counted or written.
    const sjisCheck = utf8
      ? new PassThrough()
      : refuseUtf8(
          () =>
            new DomainError('CSV_ENCODING', {
              reason: {
                ja: 'ファイルは UTF-8 で保存されていますが、文字コードに Shift_JIS が指定されています。文字コードを UTF-8 にして、もう一度お試しください。',
                en: 'The file is saved as UTF-8 but Shift_JIS was chosen; choose UTF-8 and retry.',
              },
            }),
        );
    // pipeline() destroys every stage with the first error; the loop below then throws it.
    const parser = pipeline(
      input,
      counter,
      sjisCheck,
      iconv.decodeStream(charset(options.encoding)) as unknown as Transform,
      utf8Check,
      parse({ relax_column_count: true, skip_empty_lines: true, bom: true }),
      () => undefined,
    );

    const report: ImportReport = {
      jobId,
      dryRun: options.dryRun,
      created: 0,
      updated: 0,
      rejected: 0,
      recordsKeyed: 0,
      unmappedColumns: [],
      rows: [],
      rowsTruncated: false,
    };
    const others: ImportRow[] = [];
    const record = (row: ImportRow) => {
      if (row.action === 'REJECT') {
        report.rejected++;
        report.rows.push(row);
      } else {
        if (row.action === 'CREATE') report.created++;
        else report.updated++;
        if (others.length < REPORT_ROWS) others.push(row);
      }
    };
    const keyed = (options.dataEntry ?? false) && !options.dryRun;

    // A dry run keeps one transaction open for every chunk and rolls it back at the end.
    const dry = options.dryRun ? this.dataSource.createQueryRunner() : null;
    if (dry) {
      await dry.connect();
      await dry.startTransaction();
      await this.lockTenant(dry.manager, tenantId);
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
      for (const row of written.rows) record(row);
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
        await this.lockTenant(m, tenantId);
        const w = await this.writeChunk(m, principal, chunk, definitions);
        const n = after(chunk, w);
        await this.jobs.chunkCommitted(m, tenantId, jobId, n);
        return [w, n] as const;
      });
      apply(written, next);
    };

    // One chunk is written while the next one is parsed (Node parses, Postgres writes: two cores).
    // A chunk is read and written only after the previous one committed, so a 顧客ID repeated in a
    // later chunk sees the earlier row.
    let inFlight: Promise<void> = Promise.resolve();
    const next = async (chunk: PendingRow[]) => {
      await inFlight;
      inFlight = flush(chunk);
      inFlight.catch(() => undefined); // awaited by the next chunk or at the end
    };
    try {
      let columns: (ColumnTarget | null)[] | null = null;
      let index = 0;
      let chunk: PendingRow[] = [];
      let chunkExternalIds = new Set<string>();
      try {
        for await (const parsed of parser as AsyncIterable<string[]>) {
          // Our export writes `'=…`, `'+81…` (formula injection, see formula-cells.ts): read back as written.
          const cells = parsed.map(unescapeFormulaCell);
          if (!columns) {
            const mapped = mapColumns(cells, definitions, options.mapping);
            if (mapped.problems.length > 0) throw new DomainError('CSV_COLUMNS', { reason: mapped.problems.join(' ') });
            report.unmappedColumns = mapped.unmapped;
            columns = mapped.columns;
            continue;
          }
          if (index >= MAX_ROWS)
            throw new DomainError('CSV_TOO_LARGE', {
              reason: { ja: `1回の取込は最大${MAX_ROWS}行です。`, en: `At most ${MAX_ROWS} rows per import.` },
            });
          const row: PendingRow = { line: index + 2, input: rowToCustomerInput(cells, columns) };
          index++;
          const externalId = row.input.externalId?.trim() || null;
          // The same 顧客ID twice: the later row updates what the earlier one wrote, so it goes in the next chunk.
          if (chunk.length >= CHUNK_ROWS || (externalId && chunkExternalIds.has(externalId))) {
            await next(chunk);
            chunk = [];
            chunkExternalIds = new Set();
          }
          chunk.push(row);
          if (externalId) chunkExternalIds.add(externalId);
        }
      } catch (err) {
        if (err instanceof DomainError) throw err;
        throw new DomainError('CSV_UNREADABLE', { reason: err instanceof Error ? err.message : String(err) });
      }
      if (!columns)
        throw new DomainError('CSV_EMPTY', {
          reason: { ja: 'ファイルに見出し行がありません。', en: 'The file has no header row.' },
        });
      await next(chunk);
      await inFlight;
    } finally {
      await inFlight.catch(() => undefined);
      if (dry) {
        await dry.rollbackTransaction().catch(() => undefined);
        await dry.release();
      }
    }
    report.recordsKeyed = progress.recordsKeyed;
    const room = Math.max(REPORT_ROWS - report.rows.length, 0);
    report.rowsTruncated =
      report.rows.length > REPORT_ROWS ||
      others.length + report.rows.length < report.created + report.updated + report.rejected;
    report.rows = [...report.rows.slice(0, REPORT_ROWS), ...others.slice(0, room)].sort((a, b) => a.line - b.line);
    return report;
  }

  /** One import per tenant at a time: two concurrent files with the same 顧客ID must not both create it. */
  private async lockTenant(m: EntityManager, tenantId: string): Promise<void> {
    await m.query("SELECT pg_advisory_xact_lock(hashtext('customers.import:' || $1))", [tenantId]);
  }

  /** Validates and writes one chunk set-based; returns each row's outcome and the records it keyed. */
  private async writeChunk(
    m: EntityManager,
    principal: Principal,
    chunk: PendingRow[],
    definitions: readonly CustomFieldDefinition[],
  ): Promise<WrittenChunk> {
    const tenantId = principal.tenantId;
    const externalIds = [
      ...new Set(chunk.map((r) => r.input.externalId?.trim() || null).filter((x): x is string => x !== null)),
    ];
    const existing = new Map<string, { customer: Customer; digits: Set<string | null> }>();
    if (externalIds.length > 0) {
      const rows: (Parameters<typeof toCustomer>[0] & { phone_digits: (string | null)[] })[] = await m.query(
        `SELECT ${customerColumns},
           ARRAY(SELECT p.national_digits FROM customer_phones p WHERE p.tenant_id = c.tenant_id AND p.customer_id = c.id) AS phone_digits
           FROM customers c WHERE c.tenant_id = $1 AND c.external_id = ANY($2::text[])`,
        [tenantId, externalIds],
      );
      for (const r of rows)
        existing.set(r.external_id as string, { customer: toCustomer(r), digits: new Set(r.phone_digits) });
    }

    const inserts: CustomerRecord[] = [];
    const updates: CustomerRecord[] = [];
    const phones: {
      customer_id: string;
      raw: string;
      e164: string | null;
      national_digits: string | null;
      type: string;
      label: string | null;
    }[] = [];
    const outcomes: ImportRow[] = [];
    const lineOfInsert = new Map<string, ImportRow>();
    for (const { line, input } of chunk) {
      const row: ImportRow = {
        line,
        action: 'CREATE',
        externalId: input.externalId ?? null,
        name: input.name ?? null,
        problems: [],
      };
      outcomes.push(row);
      const externalId = input.externalId?.trim() || null;
      const found = externalId ? existing.get(externalId) : undefined;
      try {
        const { externalId: _same, ...changes } = input;
        const write = await this.customersService.prepare(
          m,
          tenantId,
          found?.customer ?? null,
          found ? changes : input,
          definitions,
        );
        // The rules of CustomersService.checkPhones, parsing each number once.
        const checked = (input.phones ?? []).map((p) => {
          const keys = phoneKeys(p.number);
          if (!keys.nationalDigits) throw new DomainError('INVALID_PHONE_NUMBER', { number: p.number });
          return { number: p.number.trim(), type: p.type ?? 'OTHER', label: p.label?.trim() || null, keys };
        });
        // The per-customer cap counts the numbers it already has (any format counts once).
        const digits = new Set([...(found?.digits ?? []), ...checked.map((p) => p.keys.nationalDigits)]);
        if (checked.length > 0) enforce(checkCount('phones', digits.size));
        const id = found?.customer.id ?? randomUUID();
        const a = write.address;
        const rec: CustomerRecord = {
          id,
          external_id: write.externalId ?? null,
          name: write.name,
          name_kana: write.nameKana,
          company: write.company,
          department: write.department,
          emails: write.emails,
          postal_code: a?.postalCode ?? null,
          prefecture: a?.prefecture ?? null,
          city: a?.city ?? null,
          street: a?.street ?? null,
          building: a?.building ?? null,
          tags: write.tags,
          notes: write.notes,
          owner_id: write.ownerId,
          custom_fields: write.customFields,
        };
        for (const phone of checked) {
          const keys = phone.keys;
          // A number the customer already has (in any format) is not added twice: re-imports stay idempotent.
          if (found) {
            if (found.digits.has(keys.nationalDigits)) continue;
            found.digits.add(keys.nationalDigits);
          }
          phones.push({
            customer_id: id,
            raw: phone.number,
            e164: keys.e164,
            national_digits: keys.nationalDigits,
            type: phone.type,
            label: phone.label,
          });
        }
        if (found) {
          row.action = 'UPDATE';
          updates.push(rec);
        } else {
          inserts.push(rec);
          lineOfInsert.set(id, row);
        }
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        row.action = 'REJECT';
        const details = err.details?.problems as { message: string }[] | undefined;
        row.problems = details ? details.map((p) => p.message) : [err.message];
      }
    }

    // Records keyed: customers created, and existing ones whose fields changed or that got a number.
    const keyed = new Set<string>();
    if (inserts.length > 0) {
      const created: { id: string }[] = await m.query(
        `INSERT INTO customers (id, tenant_id, external_id, name, name_kana, company, department, emails, postal_code,
           prefecture, city, street, building, tags, notes, owner_id, custom_fields, created_by, updated_by)
         SELECT x.id, $1, x.external_id, x.name, x.name_kana, x.company, x.department, x.emails, x.postal_code,
           x.prefecture, x.city, x.street, x.building, x.tags, x.notes, x.owner_id, x.custom_fields, $3, $3
           FROM json_to_recordset($2::json) AS x(${RECORD_COLUMNS})
         ON CONFLICT (tenant_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
         RETURNING id`,
        [tenantId, JSON.stringify(inserts), principal.userId],
      );
      // Someone created the same 顧客ID outside the import meanwhile: that row is rejected, not overwritten.
      const done = new Set(created.map((r) => r.id));
      for (const id of done) keyed.add(id);
      for (const rec of inserts) {
        if (done.has(rec.id)) continue;
        const row = lineOfInsert.get(rec.id) as ImportRow;
        row.action = 'REJECT';
        row.problems = [`A customer with external id "${rec.external_id}" already exists.`];
        for (let i = phones.length - 1; i >= 0; i--) if (phones[i]?.customer_id === rec.id) phones.splice(i, 1);
      }
    }
    if (updates.length > 0) {
      const changed: { id: string }[] = await m.query(
        `WITH changed AS (UPDATE customers c SET name = x.name, name_kana = x.name_kana, company = x.company, department = x.department,
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
        [tenantId, JSON.stringify(updates), principal.userId],
      );
      for (const r of changed) keyed.add(r.id);
    }
    if (phones.length > 0) {
      await m.query(
        `INSERT INTO customer_phones (tenant_id, customer_id, raw, e164, national_digits, type, label)
         SELECT $1, x.customer_id, x.raw, x.e164, x.national_digits, x.type, x.label
           FROM json_to_recordset($2::json) AS x(customer_id uuid, raw text, e164 text, national_digits text, type text, label text)`,
        [tenantId, JSON.stringify(phones)],
      );
      for (const p of phones) keyed.add(p.customer_id);
    }
    return { rows: outcomes, keyed: keyed.size };
  }

  /** Every customer of the tenant, in kana order, with the headers an import reads back. */
  async export(tenantId: string, encoding: CsvEncoding): Promise<Buffer> {
    const m = this.dataSource.manager;
    const definitions = await this.customFields.list(m, tenantId);
    const header = [
      '顧客ID',
      '氏名',
      'フリガナ',
      '会社名',
      '部署',
      '電話番号',
      'メール',
      '郵便番号',
      '都道府県',
      '市区町村',
      '番地',
      '建物名',
      'タグ',
      'メモ',
      ...definitions.map((d) => d.label),
    ];
    const lines: string[][] = [header];
    const pageSize = 1_000;
    for (let offset = 0; ; offset += pageSize) {
      const { items } = await this.customers.search(m, tenantId, {}, { offset, limit: pageSize }, 'KANA_ASC');
      if (items.length === 0) break;
      const phones = await this.customers.phonesOf(
        m,
        tenantId,
        items.map((c) => c.id),
      );
      for (const c of items) {
        lines.push([
          c.externalId ?? '',
          c.name,
          c.nameKana ?? '',
          c.company ?? '',
          c.department ?? '',
          phones
            .filter((p) => p.customerId === c.id)
            .map((p) => p.display ?? p.raw)
            .join(';'),
          c.emails.join(';'),
          c.address?.postalCode ?? '',
          c.address?.prefecture ?? '',
          c.address?.city ?? '',
          c.address?.street ?? '',
          c.address?.building ?? '',
          c.tags.join(';'),
          c.notes ?? '',
          ...definitions.map((d) => displayValues(c.customFields[d.key]).join(';')),
        ]);
      }
    }
    // Cells starting with = + - @ tab CR get a leading quote and are quoted (OWASP CSV injection),
    // in both encodings; phone numbers such as +81312345678 too (see formula-cells.ts).
    const safe = lines.map((line) => line.map(escapeFormulaCell));
    // Excel opens UTF-8 CSV correctly only with a byte-order mark.
    const csv = stringify(safe, { record_delimiter: '\r\n', quoted_match: QUOTED_CELL });
    return encoding === 'UTF8'
      ? Buffer.concat([Buffer.from('\uFEFF', 'utf8'), Buffer.from(csv, 'utf8')])
      : iconv.encode(csv, 'cp932');
  }
}
