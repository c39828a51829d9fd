import { badInput, type DomainError } from '@thankstar/platform';

/**
 * How much a tenant may store per record. Everything here flows into events (the popup, the
 * interaction changes), and an unbounded record once built a 1.16 MB popup that the broker
 * refused, which stopped the outbox for every tenant. These are the ONLY definitions of the
 * limits: the GraphQL mutations, quick-create, the CSV import and the custom field definitions
 * all check against them, and README.md lists them. Lengths are in characters (code points),
 * the way an operator counts them, not UTF-16 units or bytes.
 */
export const limits = {
  name: { max: 200, label: '氏名' },
  nameKana: { max: 200, label: 'フリガナ' },
  company: { max: 200, label: '会社名' },
  department: { max: 200, label: '部署' },
  ownerId: { max: 200, label: '担当者' },
  customerNotes: { max: 10_000, label: 'メモ' },
  tags: { count: 30, max: 50, label: 'タグ' },
  emails: { count: 10, max: 254, label: 'メールアドレス' },
  phones: { count: 10, max: 30, label: '電話番号' },
  phoneLabel: { max: 50, label: '電話番号のラベル' },
  city: { max: 100, label: '市区町村' },
  street: { max: 200, label: '番地' },
  building: { max: 200, label: '建物名' },
  /** A custom field's value (TEXT), or each choice of a list. */
  customFieldValue: { count: 100, max: 1_000, label: '独自項目の値' },
  /** Custom field definitions per tenant: every one is shown in every popup. */
  customFieldDefinitions: { count: 30, label: '独自項目' },
  customFieldOptions: { count: 100, max: 100, label: '独自項目の選択肢' },
  interactionNotes: { max: 10_000, label: '対応メモ' },
  outcome: { max: 200, label: '対応結果' },
  followUpAssigneeName: { max: 100, label: 'フォロー担当者名' },
  purchaseItem: { max: 200, label: '購入品目' },
  purchaseChannel: { max: 50, label: '購入チャネル' },
  /** The label of an employee number or the reason of a nuisance number. */
  numberNote: { max: 200, label: 'ラベル・理由' },
} as const;

export type LimitName = keyof typeof limits;

/** One broken limit, named so a client can point at the field (extensions.details.limits). */
export interface LimitViolation {
  limit: LimitName;
  max: number;
  count?: number;
  message: string;
}

/** Characters as people count them: a surrogate pair (絵文字, 𠮷) is one. */
export const charCount = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** A single text against its length limit: 「氏名は200文字までです」. */
export function checkLength(name: LimitName, value: string | null | undefined): LimitViolation | null {
  const limit = limits[name];
  if (value == null || !('max' in limit) || charCount(value) <= limit.max) return null;
  return { limit: name, max: limit.max, message: `${limit.label}は${limit.max}文字までです。` };
}

/** A list against its count and per-item length: 「タグは1件あたり50文字、最大30件までです」. */
export function checkList(
  name: 'tags' | 'emails' | 'phones' | 'customFieldValue' | 'customFieldOptions',
  values: readonly string[] | null | undefined,
): LimitViolation | null {
  if (!values) return null;
  const limit = limits[name];
  const message = `${limit.label}は1件あたり${limit.max}文字、最大${limit.count}件までです。`;
  if (values.length > limit.count) return { limit: name, max: limit.count, count: values.length, message };
  if (values.some((v) => charCount(v) > limit.max)) return { limit: name, max: limit.max, message };
  return null;
}

/** A count only (a tenant's custom field definitions, a customer's numbers after a merge). */
export function checkCount(name: 'phones' | 'customFieldDefinitions', count: number): LimitViolation | null {
  const limit = limits[name];
  if (count <= limit.count) return null;
  const message =
    name === 'phones'
      ? `電話番号は1人あたり最大${limit.count}件までです。`
      : `${limit.label}は1テナントあたり最大${limit.count}件までです。`;
  return { limit: name, max: limit.count, count, message };
}

/** BAD_USER_INPUT naming every broken limit; the message is what the operator reads. */
export function limitError(violations: readonly LimitViolation[]): DomainError {
  return badInput(violations.map((v) => v.message).join(' '), { limits: violations });
}

/** Throws when any check failed; nothing is written before this runs. */
export function enforce(...checks: (LimitViolation | null)[]): void {
  const violations = checks.filter((v): v is LimitViolation => v !== null);
  if (violations.length > 0) throw limitError(violations);
}

export interface CustomerLimitInput {
  name?: string | null;
  nameKana?: string | null;
  company?: string | null;
  department?: string | null;
  ownerId?: string | null;
  notes?: string | null;
  tags?: readonly string[] | null;
  emails?: readonly string[] | null;
  phones?: readonly { number: string; label?: string | null }[] | null;
  address?: { city?: string | null; street?: string | null; building?: string | null } | null;
  customFields?: readonly { key: string; value?: string | null; values?: readonly string[] | null }[] | null;
}

/**
 * Every limit a customer write can break, from the input as given (trimmed where the service
 * trims). Phones are checked here as given; the total after merging with the numbers the customer
 * already has is checked where the merge happens (`checkCount('phones', n)`).
 */
export function customerViolations(input: CustomerLimitInput): LimitViolation[] {
  const t = (s: string | null | undefined) => s?.trim();
  const list = (xs: readonly string[] | null | undefined) =>
    xs ? [...new Set(xs.map((x) => x.trim()).filter((x) => x !== ''))] : null;
  const checks: (LimitViolation | null)[] = [
    checkLength('name', t(input.name)),
    checkLength('nameKana', t(input.nameKana)),
    checkLength('company', t(input.company)),
    checkLength('department', t(input.department)),
    checkLength('ownerId', t(input.ownerId)),
    checkLength('customerNotes', t(input.notes)),
    checkList('tags', list(input.tags)),
    checkList('emails', list(input.emails)),
    checkList('phones', input.phones ? input.phones.map((p) => p.number.trim()) : null),
    ...(input.phones ?? []).map((p) => checkLength('phoneLabel', t(p.label))),
    checkLength('city', t(input.address?.city)),
    checkLength('street', t(input.address?.street)),
    checkLength('building', t(input.address?.building)),
  ];
  for (const f of input.customFields ?? []) {
    checks.push(checkList('customFieldValue', f.values ?? (f.value == null ? null : [f.value.trim()])));
  }
  // One message per limit: a row with 40 long tags says so once.
  const seen = new Set<LimitName>();
  return checks.filter((v): v is LimitViolation => {
    if (v === null || seen.has(v.limit)) return false;
    seen.add(v.limit);
    return true;
  });
}
