import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { type CustomFieldDefinition, displayValues } from '../custom-fields/validate';
import type { Customer, CustomerPhone } from '../customers/customer';
import { type ColumnTarget, exportedColumns } from './columns';
import type { CsvEncoding } from './csv-stream';
import { escapeFormulaCell, QUOTED_CELL } from './formula-cells';

/*
 * The export: customers → CSV, with the columns of columns.ts (the same list the import reads, so
 * an exported file imports back as it is), then one column per custom field under its label.
 */

/** The header line: the standard columns' first names, then the custom fields' labels. */
export function exportHeader(definitions: readonly CustomFieldDefinition[]): string[] {
  return [...exportedColumns.map((c) => c.names[0]), ...definitions.map((d) => d.label)];
}

/** One standard cell of a customer; lists are joined with `;` as the import splits them. */
function cell(target: ColumnTarget, c: Customer, phones: readonly CustomerPhone[]): string {
  switch (target.field) {
    case 'externalId':
      return c.externalId ?? '';
    case 'name':
      return c.name;
    case 'nameKana':
      return c.nameKana ?? '';
    case 'company':
      return c.company ?? '';
    case 'department':
      return c.department ?? '';
    case 'phone':
      return phones.map((p) => p.display ?? p.raw).join(';');
    case 'email':
      return c.emails.join(';');
    case 'postalCode':
    case 'prefecture':
    case 'city':
    case 'street':
    case 'building':
      return c.address?.[target.field] ?? '';
    case 'tags':
      return c.tags.join(';');
    case 'notes':
      return c.notes ?? '';
    case 'customField':
      return displayValues(c.customFields[target.key]).join(';');
  }
}

/** A customer's line, in the header's order; `phones` are this customer's numbers. */
export function exportLine(
  c: Customer,
  phones: readonly CustomerPhone[],
  definitions: readonly CustomFieldDefinition[],
): string[] {
  return [
    ...exportedColumns.map((column) => cell(column.target, c, phones)),
    ...definitions.map((d) => cell({ field: 'customField', key: d.key }, c, phones)),
  ];
}

/**
 * The file: cells starting with = + - @ tab CR get a leading quote and are quoted (OWASP CSV
 * injection), in both encodings, phone numbers such as +81312345678 too (see formula-cells.ts);
 * CRLF line ends; UTF-8 with a byte-order mark (Excel opens UTF-8 CSV correctly only with one), or
 * Shift_JIS (Windows-31J).
 */
export function encodeCsv(lines: readonly (readonly string[])[], encoding: CsvEncoding): Buffer {
  const safe = lines.map((line) => line.map(escapeFormulaCell));
  const csv = stringify(safe, { record_delimiter: '\r\n', quoted_match: QUOTED_CELL });
  return encoding === 'UTF8'
    ? Buffer.concat([Buffer.from('\uFEFF', 'utf8'), Buffer.from(csv, 'utf8')])
    : iconv.encode(csv, 'cp932');
}
