import { DomainError } from '@thankstar/platform';
import type { SourceSettings } from './connectors/connector';
import type { SourceKind } from './lookup.repository';

/** What a tenant admin may configure, bounded (docs/security.md: every limit has a value). */
export const sourceLimits = {
  nameChars: 100,
  fieldChars: 100,
  phoneFields: 5,
  displayFields: 20,
  urlChars: 500,
  secretChars: 2000,
  minBudgetMs: 50,
  maxBudgetMs: 1000,
  defaultBudgetMs: 300,
} as const;

const notesModes: Record<SourceKind, SourceSettings['notes']['mode'][]> = {
  HTTPS: ['NONE', 'POST'],
  KINTONE: ['NONE', 'COMMENT', 'TABLE_ROW'],
  FILEMAKER: ['NONE', 'RELATED_RECORD'],
};

const refuse = (reason: string): never => {
  throw new DomainError('BAD_USER_INPUT', { reason });
};

const field = (value: unknown, what: string, required: boolean): string | null => {
  if (value === null || value === undefined || value === '') {
    if (required) refuse(`${what}を入力してください。`);
    return null;
  }
  const text = String(value).trim();
  if (Array.from(text).length > sourceLimits.fieldChars) refuse(`${what}は${sourceLimits.fieldChars}文字までです。`);
  return text;
};

/**
 * A source's settings as a tenant admin typed them, checked before anything is stored: a kintone
 * source needs an app and number fields, a FileMaker source a database, layout, account and number
 * fields; the budget is 50–1000 ms (default 300); the notes mode is one the kind can write.
 */
export function validateSourceInput(
  input: { name: string; kind: SourceKind; budgetMs?: number | null; settings: SourceSettings; secret?: string | null },
  creating: boolean,
): { name: string; budgetMs: number; settings: SourceSettings } {
  const name = field(input.name, '名前', true) as string;
  if (Array.from(name).length > sourceLimits.nameChars) refuse(`名前は${sourceLimits.nameChars}文字までです。`);
  const budgetMs = input.budgetMs ?? sourceLimits.defaultBudgetMs;
  if (!Number.isInteger(budgetMs) || budgetMs < sourceLimits.minBudgetMs || budgetMs > sourceLimits.maxBudgetMs)
    refuse(`待ち時間は${sourceLimits.minBudgetMs}〜${sourceLimits.maxBudgetMs}ミリ秒で指定してください。`);
  const s = input.settings;
  const endpoint = (s.endpoint ?? '').trim();
  let url: URL | null = null;
  try {
    url = new URL(endpoint);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || endpoint.length > sourceLimits.urlChars)
    refuse('URLは https:// で始まる正しいURLを入力してください。');
  const kind = input.kind;
  const phoneFields = (s.phoneFields ?? []).map((f) => field(f, '電話番号の項目', true) as string);
  if (kind !== 'HTTPS' && phoneFields.length === 0) refuse('電話番号が入っている項目を1つ以上指定してください。');
  if (phoneFields.length > sourceLimits.phoneFields) refuse(`電話番号の項目は${sourceLimits.phoneFields}個までです。`);
  const displayFields = (s.displayFields ?? []).map((d) => ({
    field: field(d.field, '表示する項目', true) as string,
    label: field(d.label, '表示名', false) ?? (d.field as string),
  }));
  if (displayFields.length > sourceLimits.displayFields)
    refuse(`表示する項目は${sourceLimits.displayFields}個までです。`);
  const mode = s.notes?.mode ?? 'NONE';
  if (!notesModes[kind].includes(mode)) refuse('この参照先では選べない書き戻し方法です。');
  const notes: SourceSettings['notes'] = {
    mode,
    target: field(s.notes?.target, '書き戻し先', mode === 'TABLE_ROW' || mode === 'RELATED_RECORD'),
    textField: field(s.notes?.textField, 'メモの項目', mode === 'TABLE_ROW' || mode === 'RELATED_RECORD'),
    outcomeField: field(s.notes?.outcomeField, '結果の項目', false),
    atField: field(s.notes?.atField, '日時の項目', false),
    keyField: field(s.notes?.keyField, '親レコードIDの項目', mode === 'RELATED_RECORD'),
  };
  const settings: SourceSettings = {
    endpoint,
    appId: field(s.appId, 'アプリID', kind === 'KINTONE'),
    database: field(s.database, 'データベース', kind === 'FILEMAKER'),
    layout: field(s.layout, 'レイアウト', kind === 'FILEMAKER'),
    account: field(s.account, 'アカウント', kind === 'FILEMAKER'),
    phoneFields,
    titleField: field(s.titleField, 'タイトルの項目', false),
    displayFields,
    notes,
  };
  if (creating && kind !== 'HTTPS' && !input.secret)
    refuse(kind === 'KINTONE' ? 'APIトークンを入力してください。' : 'パスワードを入力してください。');
  if (input.secret && input.secret.length > sourceLimits.secretChars) refuse('認証情報が長すぎます。');
  return { name, budgetMs, settings };
}
