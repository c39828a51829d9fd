import type { CustomFieldDefinition } from '../custom-fields/validate';

/** What a CSV column holds. Several columns may be phones (電話番号, 携帯, FAX...). */
export type ColumnTarget =
  | { field: 'externalId' | 'name' | 'nameKana' | 'company' | 'department' | 'email' | 'tags' | 'notes' }
  | { field: 'postalCode' | 'prefecture' | 'city' | 'street' | 'building' }
  | { field: 'phone'; type: 'MOBILE' | 'HOME' | 'WORK' | 'FAX' | 'OTHER' }
  | { field: 'customField'; key: string };

/** One column an import reads: the names it goes by and what it holds. */
export interface CsvColumn {
  /** The first name is the header the export writes; the others are accepted on import. */
  names: readonly [string, ...string[]];
  target: ColumnTarget;
  /** Written by the export, in this list's order (then one column per custom field, by label). */
  exported: boolean;
}

/**
 * The ONE list of the standard columns: the export writes the `exported` ones in this order under
 * their first name, and an import recognises every name (seen in Excel, FileMaker and older CTI
 * exports in Japan), so an exported file imports back as it is.
 */
export const csvColumns: readonly CsvColumn[] = [
  {
    names: ['顧客ID', '顧客番号', '顧客コード', '外部ID', 'externalId', 'external_id', 'id'],
    target: { field: 'externalId' },
    exported: true,
  },
  { names: ['氏名', '名前', '顧客名', 'お名前', '氏名(漢字)', 'name'], target: { field: 'name' }, exported: true },
  {
    names: ['フリガナ', 'ふりがな', 'カナ', '氏名カナ', '氏名(カナ)', 'nameKana', 'kana'],
    target: { field: 'nameKana' },
    exported: true,
  },
  { names: ['会社名', '会社', '法人名', 'company'], target: { field: 'company' }, exported: true },
  { names: ['部署', '部署名', 'department'], target: { field: 'department' }, exported: true },
  // The export writes every number of a customer in this one column.
  {
    names: ['電話番号', '電話', '電話番号1', '電話番号2', '電話番号3', 'TEL', 'phone'],
    target: { field: 'phone', type: 'OTHER' },
    exported: true,
  },
  { names: ['メール', 'メールアドレス', 'email', 'e-mail'], target: { field: 'email' }, exported: true },
  { names: ['郵便番号', '〒', 'postalCode', 'zip'], target: { field: 'postalCode' }, exported: true },
  { names: ['都道府県', 'prefecture'], target: { field: 'prefecture' }, exported: true },
  { names: ['市区町村', 'city'], target: { field: 'city' }, exported: true },
  { names: ['番地', '町名番地', '住所', 'street', 'address'], target: { field: 'street' }, exported: true },
  { names: ['建物名', '建物', 'マンション名', 'building'], target: { field: 'building' }, exported: true },
  { names: ['タグ', 'tags'], target: { field: 'tags' }, exported: true },
  { names: ['メモ', '備考', 'notes'], target: { field: 'notes' }, exported: true },
  { names: ['携帯', '携帯番号', '携帯電話', 'mobile'], target: { field: 'phone', type: 'MOBILE' }, exported: false },
  { names: ['自宅電話', '自宅', 'home'], target: { field: 'phone', type: 'HOME' }, exported: false },
  { names: ['会社電話', '勤務先電話', 'work'], target: { field: 'phone', type: 'WORK' }, exported: false },
  { names: ['FAX', 'ファックス', 'fax番号'], target: { field: 'phone', type: 'FAX' }, exported: false },
];

/** The export's standard columns, in order. */
export const exportedColumns = csvColumns.filter((c) => c.exported);

/**
 * Every name of `csvColumns` after folding (NFKC, lower case, no spaces). A Map, not an object: a
 * header is user data, and `constructor`, `__proto__` or `toString` looked up on a plain object
 * finds Object.prototype's members, not "unknown".
 */
const aliases = new Map<string, ColumnTarget>();
for (const column of csvColumns) for (const name of column.names) aliases.set(fold(name), column.target);

function fold(header: string): string {
  return header.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/**
 * Maps each header to what it holds: an explicit mapping first, then the tenant's custom fields
 * (by key or label), then the usual Japanese and English names. Unmapped columns are reported
 * and ignored.
 */
export function mapColumns(
  headers: readonly string[],
  definitions: readonly CustomFieldDefinition[],
  explicit: Readonly<Record<string, string>> = {},
): { columns: (ColumnTarget | null)[]; unmapped: string[]; problems: { ja: string; en: string }[] } {
  // Japanese is what the admin reads (CSV_COLUMNS); English travels for integrators.
  const problems: { ja: string; en: string }[] = [];
  const byFoldedKeyOrLabel = new Map<string, string>();
  for (const d of definitions) {
    byFoldedKeyOrLabel.set(fold(d.key), d.key);
    byFoldedKeyOrLabel.set(fold(d.label), d.key);
  }
  const resolve = (name: string): ColumnTarget | null => {
    const custom = byFoldedKeyOrLabel.get(fold(name.replace(/^custom:/, '')));
    if (custom) return { field: 'customField', key: custom };
    return aliases.get(fold(name)) ?? null;
  };
  // The explicit mapping is user data too: only its own keys count (not Object.prototype's).
  const explicitFor = (h: string): string | undefined => (Object.hasOwn(explicit, h) ? explicit[h] : undefined);
  const columns = headers.map((h) => {
    const wanted = explicitFor(h);
    if (typeof wanted === 'string') {
      if (wanted === '') return null;
      const target = resolve(wanted);
      if (!target)
        problems.push({
          ja: `列「${h}」の取り込み先「${wanted}」は顧客の項目ではありません。`,
          en: `Column "${h}" is mapped to "${wanted}", which is not a customer field.`,
        });
      return target;
    }
    return resolve(h);
  });
  const unmapped = headers.filter((h, i) => columns[i] === null && explicitFor(h) !== '');
  if (!columns.some((c) => c?.field === 'name'))
    problems.push({ ja: '顧客名（氏名）の列がありません。', en: 'No column holds the customer name (氏名).' });
  return { columns, unmapped, problems };
}
