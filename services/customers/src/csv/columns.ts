import type { CustomFieldDefinition } from '../custom-fields/validate';

/** What a CSV column holds. Several columns may be phones (電話番号, 携帯, FAX...). */
export type ColumnTarget =
  | { field: 'externalId' | 'name' | 'nameKana' | 'company' | 'department' | 'email' | 'tags' | 'notes' }
  | { field: 'postalCode' | 'prefecture' | 'city' | 'street' | 'building' }
  | { field: 'phone'; type: 'MOBILE' | 'HOME' | 'WORK' | 'FAX' | 'OTHER' }
  | { field: 'customField'; key: string };

/**
 * Header names seen in Excel, FileMaker and older CTI exports in Japan, after folding (NFKC, lower
 * case, no spaces). A Map, not an object: a header is user data, and `constructor`, `__proto__`
 * or `toString` looked up on a plain object finds Object.prototype's members, not "unknown".
 */
const aliases = new Map<string, ColumnTarget>();
const alias = (names: string[], target: ColumnTarget) => {
  for (const n of names) aliases.set(fold(n), target);
};
alias(['顧客ID', '顧客番号', '顧客コード', '外部ID', 'externalId', 'external_id', 'id'], { field: 'externalId' });
alias(['氏名', '名前', '顧客名', 'お名前', '氏名(漢字)', 'name'], { field: 'name' });
alias(['フリガナ', 'ふりがな', 'カナ', '氏名カナ', '氏名(カナ)', 'nameKana', 'kana'], { field: 'nameKana' });
alias(['会社名', '会社', '法人名', 'company'], { field: 'company' });
alias(['部署', '部署名', 'department'], { field: 'department' });
alias(['メール', 'メールアドレス', 'email', 'e-mail'], { field: 'email' });
alias(['郵便番号', '〒', 'postalCode', 'zip'], { field: 'postalCode' });
alias(['都道府県', 'prefecture'], { field: 'prefecture' });
alias(['市区町村', 'city'], { field: 'city' });
alias(['番地', '町名番地', '住所', 'street', 'address'], { field: 'street' });
alias(['建物名', '建物', 'マンション名', 'building'], { field: 'building' });
alias(['タグ', 'tags'], { field: 'tags' });
alias(['メモ', '備考', 'notes'], { field: 'notes' });
alias(['電話番号', '電話', '電話番号1', '電話番号2', '電話番号3', 'TEL', 'phone'], { field: 'phone', type: 'OTHER' });
alias(['携帯', '携帯番号', '携帯電話', 'mobile'], { field: 'phone', type: 'MOBILE' });
alias(['自宅電話', '自宅', 'home'], { field: 'phone', type: 'HOME' });
alias(['会社電話', '勤務先電話', 'work'], { field: 'phone', type: 'WORK' });
alias(['FAX', 'ファックス', 'fax番号'], { field: 'phone', type: 'FAX' });

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
): { columns: (ColumnTarget | null)[]; unmapped: string[]; problems: string[] } {
  const problems: string[] = [];
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
      if (!target) problems.push(`Column "${h}" is mapped to "${wanted}", which is not a customer field.`);
      return target;
    }
    return resolve(h);
  });
  const unmapped = headers.filter((h, i) => columns[i] === null && explicitFor(h) !== '');
  if (!columns.some((c) => c?.field === 'name')) problems.push('No column holds the customer name (氏名).');
  return { columns, unmapped, problems };
}
