import { KintoneRestAPIClient, KintoneRestAPIError } from '@kintone/rest-api-client';
import type { RawCard } from '../card';
import { type NationalForms, nationalForms } from '../phone-forms';
import {
  type Connector,
  type ConnectorContext,
  LookupFailure,
  type LookupQuery,
  type NoteWrite,
  numberForms,
  retryAfterMs,
  transportFailure,
} from './connector';

type KintoneRecord = Record<string, { type?: string; value: unknown }>;

/** A kintone field's value as text (checkboxes and users joined, a user by name). */
export function kintoneText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(kintoneText).filter(Boolean).join('、');
  if (typeof value === 'object') {
    const v = value as { name?: unknown; code?: unknown; value?: unknown };
    return kintoneText(v.name ?? v.code ?? v.value ?? '');
  }
  return String(value);
}

/** A kintone query string literal ("…" with \" and \\ escaped). */
export function kintoneLiteral(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The query finding the caller: any number field equal to any form of the number. */
export function kintoneQuery(phoneFields: string[], forms: string[]): string {
  const list = forms.map(kintoneLiteral).join(', ');
  return `${phoneFields.map((f) => `${f} in (${list})`).join(' or ')} order by $id desc limit 5`;
}

/**
 * kintone through @kintone/rest-api-client with an app's API token: records found by the fields
 * that hold numbers (`in` over the number's E.164, national and hyphenated forms), the mapped
 * fields shown; notes written back as a record comment or a new row of a subtable.
 */
export class KintoneConnector implements Connector {
  private readonly client: KintoneRestAPIClient;

  constructor(
    private readonly context: ConnectorContext,
    private readonly forms: (e164: string) => NationalForms = nationalForms,
  ) {
    this.client = new KintoneRestAPIClient({
      baseUrl: context.settings.endpoint,
      auth: { apiToken: context.secret },
      socketTimeout: context.timeoutMs,
    });
  }

  private get app(): string {
    return this.context.settings.appId ?? '';
  }

  async find(query: LookupQuery): Promise<RawCard[]> {
    const { settings } = this.context;
    const f = this.forms(query.e164);
    const fields = [
      ...new Set([
        '$id',
        ...(settings.titleField ? [settings.titleField] : []),
        ...settings.displayFields.map((d) => d.field),
      ]),
    ];
    const { records } = await this.call(() =>
      this.client.record.getRecords({
        app: this.app,
        query: kintoneQuery(settings.phoneFields, numberForms(query.e164, f.national, f.formatted)),
        fields,
      }),
    );
    const base = settings.endpoint.replace(/\/+$/, '');
    return (records as KintoneRecord[]).map((record) => {
      const id = kintoneText(record.$id?.value);
      return {
        recordId: id,
        title: settings.titleField ? kintoneText(record[settings.titleField]?.value) || id : id,
        fields: settings.displayFields.map((d) => ({ label: d.label, value: kintoneText(record[d.field]?.value) })),
        links: [
          { label: 'kintone', url: `${base}/k/${encodeURIComponent(this.app)}/show#record=${encodeURIComponent(id)}` },
        ],
      };
    });
  }

  async writeNote(note: NoteWrite): Promise<void> {
    const { notes } = this.context.settings;
    const text = [note.outcome ? `【${note.outcome}】` : null, note.notes, note.by ? `（${note.by}）` : null]
      .filter(Boolean)
      .join('\n');
    if (notes.mode === 'COMMENT') {
      await this.call(() =>
        this.client.record.addRecordComment({
          app: this.app,
          record: note.recordId,
          comment: { text: text.slice(0, 65535) },
        }),
      );
      return;
    }
    if (notes.mode !== 'TABLE_ROW' || !notes.target) return;
    const table = notes.target;
    const { record } = await this.call(() => this.client.record.getRecord({ app: this.app, id: note.recordId }));
    const rows = ((record as KintoneRecord)[table]?.value as { id: string; value: unknown }[] | undefined) ?? [];
    const row: Record<string, { value: string }> = {};
    if (notes.textField) row[notes.textField] = { value: note.notes ?? '' };
    if (notes.outcomeField) row[notes.outcomeField] = { value: note.outcome ?? '' };
    if (notes.atField) row[notes.atField] = { value: note.at };
    await this.call(() =>
      this.client.record.updateRecord({
        app: this.app,
        id: note.recordId,
        record: { [table]: { value: [...rows.map((r) => ({ id: r.id, value: r.value })), { value: row }] } },
        revision: kintoneText((record as KintoneRecord).$revision?.value) || undefined,
      } as Parameters<KintoneRestAPIClient['record']['updateRecord']>[0]),
    );
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    await this.context.checkUrl(this.context.settings.endpoint);
    try {
      return await request();
    } catch (error) {
      throw kintoneFailure(error);
    }
  }
}

/** kintone's error answers ({code, id, message}) as LookupFailures. */
export function kintoneFailure(error: unknown): LookupFailure {
  if (error instanceof KintoneRestAPIError) {
    const detail = `${error.code ?? ''} ${error.message}`.trim().slice(0, 200);
    const code = error.code ?? '';
    if (error.status === 401 || error.status === 403 || /^GAIA_IA0|^CB_WA01|^GAIA_NO01/.test(code))
      return new LookupFailure('LOOKUP_AUTH_FAILED', detail);
    if (error.status === 429) {
      const headers = error.headers as Record<string, string> | undefined;
      return new LookupFailure('LOOKUP_RATE_LIMITED', detail, retryAfterMs(headers?.['retry-after']));
    }
    if (error.status === 404 || /^GAIA_AP01|^GAIA_RE01|^GAIA_IQ11|^CB_VA01/.test(code))
      return new LookupFailure('LOOKUP_SOURCE_MISCONFIGURED', detail);
    return new LookupFailure('LOOKUP_SOURCE_FAILED', `HTTP ${error.status} ${detail}`);
  }
  const code = (error as { code?: string })?.code;
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return new LookupFailure('LOOKUP_TIMEOUT', 'no answer in time');
  return transportFailure(error);
}
