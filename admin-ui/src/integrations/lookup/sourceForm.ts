import type { LookupNotesMode, LookupSourceInput, LookupSourceKind } from '../../graphql/types';

/** The form's state: every field as typed (text), so switching the kind loses nothing. */
export interface SourceFormValues {
  kind: LookupSourceKind;
  name: string;
  enabled: boolean;
  budgetMs: string;
  endpoint: string;
  appId: string;
  database: string;
  layout: string;
  account: string;
  /** kintone: the API token; FileMaker: the password. Write-only: empty on edit keeps the stored one. */
  secret: string;
  /** One field code per line (or separated by 、 or commas). */
  phoneFields: string;
  titleField: string;
  /** One per line: `field=label` (label optional). */
  displayFields: string;
  notesMode: LookupNotesMode;
  notesTarget: string;
  notesTextField: string;
  notesOutcomeField: string;
  notesAtField: string;
  notesKeyField: string;
}

/** The write-back modes a kind can do (services/customers/src/lookup/source-input.ts holds the same rule). */
export const notesModes: Record<LookupSourceKind, LookupNotesMode[]> = {
  HTTPS: ['NONE', 'POST'],
  KINTONE: ['NONE', 'COMMENT', 'TABLE_ROW'],
  FILEMAKER: ['NONE', 'RELATED_RECORD'],
};

export const defaultBudgetMs = 300;

export const emptySource = (kind: LookupSourceKind = 'HTTPS'): SourceFormValues => ({
  kind,
  name: '',
  enabled: true,
  budgetMs: String(defaultBudgetMs),
  endpoint: '',
  appId: '',
  database: '',
  layout: '',
  account: '',
  secret: '',
  phoneFields: '',
  titleField: '',
  displayFields: '',
  notesMode: 'NONE',
  notesTarget: '',
  notesTextField: '',
  notesOutcomeField: '',
  notesAtField: '',
  notesKeyField: '',
});

/** A stored source as the edit form shows it (the credential is never read back: the field starts empty). */
export function formOf(source: {
  kind: LookupSourceKind;
  name: string;
  enabled: boolean;
  budgetMs: number;
  endpoint: string;
  appId?: string | null;
  database?: string | null;
  layout?: string | null;
  account?: string | null;
  phoneFields: string[];
  titleField?: string | null;
  displayFields: { field: string; label: string }[];
  notes: {
    mode: LookupNotesMode;
    target?: string | null;
    textField?: string | null;
    outcomeField?: string | null;
    atField?: string | null;
    keyField?: string | null;
  };
}): SourceFormValues {
  return {
    kind: source.kind,
    name: source.name,
    enabled: source.enabled,
    budgetMs: String(source.budgetMs),
    endpoint: source.endpoint,
    appId: source.appId ?? '',
    database: source.database ?? '',
    layout: source.layout ?? '',
    account: source.account ?? '',
    secret: '',
    phoneFields: source.phoneFields.join('\n'),
    titleField: source.titleField ?? '',
    displayFields: source.displayFields
      .map((d) => (d.label && d.label !== d.field ? `${d.field}=${d.label}` : d.field))
      .join('\n'),
    notesMode: source.notes.mode,
    notesTarget: source.notes.target ?? '',
    notesTextField: source.notes.textField ?? '',
    notesOutcomeField: source.notes.outcomeField ?? '',
    notesAtField: source.notes.atField ?? '',
    notesKeyField: source.notes.keyField ?? '',
  };
}

const list = (text: string) =>
  text
    .split(/[\n,、]/)
    .map((s) => s.trim())
    .filter(Boolean);

const orNull = (text: string) => (text.trim() ? text.trim() : null);

/**
 * The GraphQL input of a form: only the kind's own fields are sent (a kintone app id is not sent
 * for a FileMaker source), the notes mode falls back to NONE when the kind cannot write it, and an
 * empty credential is left out (on edit: keep the stored one). The server checks everything again.
 */
export function sourceInput(values: SourceFormValues): LookupSourceInput {
  const kind = values.kind;
  const mode = notesModes[kind].includes(values.notesMode) ? values.notesMode : 'NONE';
  const budget = Number(values.budgetMs);
  const input: LookupSourceInput = {
    name: values.name.trim(),
    kind,
    enabled: values.enabled,
    budgetMs: values.budgetMs.trim() && Number.isFinite(budget) ? Math.round(budget) : null,
    endpoint: values.endpoint.trim(),
    appId: kind === 'KINTONE' ? orNull(values.appId) : null,
    database: kind === 'FILEMAKER' ? orNull(values.database) : null,
    layout: kind === 'FILEMAKER' ? orNull(values.layout) : null,
    account: kind === 'FILEMAKER' ? orNull(values.account) : null,
    phoneFields: kind === 'HTTPS' ? [] : list(values.phoneFields),
    titleField: kind === 'HTTPS' ? null : orNull(values.titleField),
    displayFields:
      kind === 'HTTPS'
        ? []
        : values.displayFields
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean)
            .map((line) => {
              const at = line.indexOf('=');
              if (at < 0) return { field: line, label: null };
              return { field: line.slice(0, at).trim(), label: orNull(line.slice(at + 1)) };
            }),
    notes:
      mode === 'NONE'
        ? { mode }
        : {
            mode,
            target: mode === 'TABLE_ROW' || mode === 'RELATED_RECORD' ? orNull(values.notesTarget) : null,
            textField: mode === 'POST' ? null : orNull(values.notesTextField),
            outcomeField: mode === 'POST' ? null : orNull(values.notesOutcomeField),
            atField: mode === 'POST' ? null : orNull(values.notesAtField),
            keyField: mode === 'RELATED_RECORD' ? orNull(values.notesKeyField) : null,
          },
  };
  if (kind !== 'HTTPS' && values.secret) input.secret = values.secret;
  return input;
}
