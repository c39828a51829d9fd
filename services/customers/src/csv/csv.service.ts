import { Injectable } from '@nestjs/common';
import { DomainError, type Principal } from '@thankstar/platform';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { DataSource, type EntityManager } from 'typeorm';
import { CustomFieldsRepository } from '../custom-fields/custom-fields.repository';
import { type CustomFieldDefinition, displayValues } from '../custom-fields/validate';
import { CustomersRepository } from '../customers/customers.repository';
import { CustomersService } from '../customers/customers.service';
import { mapColumns } from './columns';
import { rowToCustomerInput } from './row';

export type CsvEncoding = 'UTF8' | 'SHIFT_JIS';

export interface ImportOptions {
  encoding: CsvEncoding;
  dryRun: boolean;
  /** Header → field (`name`, `phone`, a custom field key...); '' skips the column. */
  mapping?: Record<string, string>;
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
  dryRun: boolean;
  created: number;
  updated: number;
  rejected: number;
  unmappedColumns: string[];
  /** Every rejected row, then created/updated rows up to REPORT_ROWS in all. */
  rows: ImportRow[];
  rowsTruncated: boolean;
}

const MAX_ROWS = 200_000;
const REPORT_ROWS = 1_000;
/** Excel and FileMaker in Japan write "Shift_JIS" that is really Windows-31J (①, ㈱, NEC/IBM extensions). */
const charset = (e: CsvEncoding) => (e === 'SHIFT_JIS' ? 'cp932' : 'utf8');

class DryRunRollback extends Error {}

/**
 * CSV import and export. An import runs in one transaction with a savepoint per row: a bad row is
 * rejected with its reasons and the others go on; a dry run does exactly the same and then rolls
 * back, so its report is what a real run would do. Rows upsert on the external id (顧客ID).
 */
@Injectable()
export class CsvService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly customersService: CustomersService,
    private readonly customers: CustomersRepository,
    private readonly customFields: CustomFieldsRepository,
  ) {}

  async import(principal: Principal, file: Buffer, options: ImportOptions): Promise<ImportReport> {
    const text = iconv.decode(file, charset(options.encoding)).replace(/^\uFEFF/, '');
    if (options.encoding === 'UTF8' && text.includes('\uFFFD')) {
      throw new DomainError(
        'CSV_ENCODING',
        'The file is not valid UTF-8. Is it Shift_JIS (Excel)? Choose SHIFT_JIS and retry.',
      );
    }
    let records: string[][];
    try {
      records = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
    } catch (err) {
      throw new DomainError(
        'CSV_UNREADABLE',
        `The file is not readable CSV: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const [headers, ...rows] = records;
    if (!headers) throw new DomainError('CSV_EMPTY', 'The file has no header row.');
    if (rows.length > MAX_ROWS)
      throw new DomainError('CSV_TOO_LARGE', `At most ${MAX_ROWS} rows per import; split the file.`);

    const report: ImportReport = {
      dryRun: options.dryRun,
      created: 0,
      updated: 0,
      rejected: 0,
      unmappedColumns: [],
      rows: [],
      rowsTruncated: false,
    };
    const others: ImportRow[] = [];
    try {
      await this.dataSource.transaction(async (m) => {
        const definitions = await this.customFields.list(m, principal.tenantId);
        const { columns, unmapped, problems } = mapColumns(headers, definitions, options.mapping);
        if (problems.length > 0) throw new DomainError('CSV_COLUMNS', problems.join(' '));
        report.unmappedColumns = unmapped;
        for (const [i, cells] of rows.entries()) {
          const input = rowToCustomerInput(cells, columns);
          const row: ImportRow = {
            line: i + 2,
            action: 'CREATE',
            externalId: input.externalId ?? null,
            name: input.name ?? null,
            problems: [],
          };
          await m.query('SAVEPOINT import_row');
          try {
            row.action = await this.upsert(m, principal, input, definitions);
            await m.query('RELEASE SAVEPOINT import_row');
          } catch (err) {
            await m.query('ROLLBACK TO SAVEPOINT import_row');
            if (!(err instanceof DomainError)) throw err;
            row.action = 'REJECT';
            const details = err.details?.problems as { message: string }[] | undefined;
            row.problems = details ? details.map((p) => p.message) : [err.message];
          }
          if (row.action === 'REJECT') {
            report.rejected++;
            report.rows.push(row);
          } else {
            if (row.action === 'CREATE') report.created++;
            else report.updated++;
            if (others.length < REPORT_ROWS) others.push(row);
          }
        }
        if (options.dryRun) throw new DryRunRollback();
      });
    } catch (err) {
      if (!(err instanceof DryRunRollback)) throw err;
    }
    const room = Math.max(REPORT_ROWS - report.rows.length, 0);
    report.rowsTruncated =
      report.rows.length > REPORT_ROWS ||
      others.length + report.rows.length < report.created + report.updated + report.rejected;
    report.rows = [...report.rows.slice(0, REPORT_ROWS), ...others.slice(0, room)].sort((a, b) => a.line - b.line);
    return report;
  }

  private async upsert(
    m: EntityManager,
    principal: Principal,
    input: ReturnType<typeof rowToCustomerInput>,
    definitions: readonly CustomFieldDefinition[],
  ) {
    const existing = input.externalId
      ? await this.customers.findByExternalId(m, principal.tenantId, input.externalId)
      : null;
    if (existing) {
      const { externalId: _same, ...changes } = input;
      await this.customersService.update(principal, existing.id, changes, m, definitions);
      return 'UPDATE' as const;
    }
    await this.customersService.create(principal, input, m, definitions);
    return 'CREATE' as const;
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
    // Excel opens UTF-8 CSV correctly only with a byte-order mark.
    const csv = stringify(lines, { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
    return encoding === 'UTF8'
      ? Buffer.concat([Buffer.from('\uFEFF', 'utf8'), Buffer.from(csv, 'utf8')])
      : iconv.encode(csv, 'cp932');
  }
}
