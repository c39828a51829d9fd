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

interface FmMessage {
  code?: string;
  message?: string;
}
interface FmAnswer {
  response?: {
    token?: string;
    data?: { recordId?: string; fieldData?: Record<string, unknown> }[];
  };
  messages?: FmMessage[];
}

/**
 * FileMaker Data API (Claris FileMaker Server): log in to the database with the account (POST
 * …/sessions, Basic auth, the token in X-FM-Data-Access-Token), find on the layout by the phone
 * fields (POST …/layouts/{layout}/_find, one request per field and number form: `==` exact
 * match), show the mapped fields, write notes as a new record of the notes layout (the related
 * table) with the parent record's id in its key field.
 *
 * Session tokens as Claris documents them: a token stays valid while it is used (15 minutes after
 * its last use), so the connector keeps one and reuses it; an answer of 401 with message 952
 * ("Invalid FileMaker Data API token") means it expired: log in again once and repeat the request.
 * Message 401 ("No records match the request", HTTP 500) is an empty result, not an error; 212
 * is a wrong account or password.
 */
export class FileMakerConnector implements Connector {
  private token: string | null = null;
  private login: Promise<string> | null = null;

  constructor(
    private readonly context: ConnectorContext,
    private readonly forms: (e164: string) => NationalForms = nationalForms,
  ) {}

  private get base(): string {
    const { endpoint, database } = this.context.settings;
    return `${endpoint.replace(/\/+$/, '')}/fmi/data/vLatest/databases/${encodeURIComponent(database ?? '')}`;
  }

  async find(query: LookupQuery): Promise<RawCard[]> {
    const { settings } = this.context;
    const f = this.forms(query.e164);
    const forms = numberForms(query.e164, f.national, f.formatted);
    const answer = await this.request('POST', `/layouts/${encodeURIComponent(settings.layout ?? '')}/_find`, {
      query: settings.phoneFields.flatMap((field) =>
        forms.map((n) => ({ [field]: `==${n.replace(/[@*#?!=<>"~]/g, '')}` })),
      ),
      limit: '5',
    });
    return (answer.response?.data ?? []).map((row) => {
      const data = row.fieldData ?? {};
      const id = String(row.recordId ?? '');
      const text = (field: string) => (data[field] === undefined || data[field] === null ? '' : String(data[field]));
      return {
        recordId: id,
        title: settings.titleField ? text(settings.titleField) || id : id,
        fields: settings.displayFields.map((d) => ({ label: d.label, value: text(d.field) })),
        links: [],
      };
    });
  }

  async writeNote(note: NoteWrite): Promise<void> {
    const { notes } = this.context.settings;
    if (notes.mode !== 'RELATED_RECORD' || !notes.target || !notes.keyField) return;
    const fieldData: Record<string, string> = { [notes.keyField]: note.recordId };
    if (notes.textField) fieldData[notes.textField] = note.notes ?? '';
    if (notes.outcomeField) fieldData[notes.outcomeField] = note.outcome ?? '';
    if (notes.atField) fieldData[notes.atField] = note.at;
    await this.request('POST', `/layouts/${encodeURIComponent(notes.target)}/records`, { fieldData });
  }

  /** Logs out (DELETE …/sessions/{token}) so the server frees the session; errors are ignored. */
  async close(): Promise<void> {
    const token = this.token;
    this.token = null;
    if (!token) return;
    await fetch(`${this.base}/sessions/${encodeURIComponent(token)}`, {
      method: 'DELETE',
      signal: AbortSignal.timeout(this.context.timeoutMs),
    }).catch(() => undefined);
  }

  private async request(method: string, path: string, body: object, retried = false): Promise<FmAnswer> {
    const token = await this.session();
    const { status, answer, retryAfter } = await this.send(method, path, body, { authorization: `Bearer ${token}` });
    const message = answer.messages?.[0];
    if (status === 401 && message?.code === '952' && !retried) {
      // The token expired (15 minutes unused) or the server restarted: log in again once.
      if (this.token === token) this.token = null;
      return this.request(method, path, body, true);
    }
    if (message?.code === '401') return { response: { data: [] }, messages: answer.messages };
    if (status >= 200 && status < 300) return answer;
    throw fileMakerFailure(status, message, retryAfter);
  }

  private async session(): Promise<string> {
    if (this.token) return this.token;
    this.login ??= (async () => {
      const basic = Buffer.from(`${this.context.settings.account ?? ''}:${this.context.secret}`).toString('base64');
      const { status, answer, token, retryAfter } = await this.send(
        'POST',
        '/sessions',
        {},
        { authorization: `Basic ${basic}` },
      );
      if (status < 200 || status >= 300) throw fileMakerFailure(status, answer.messages?.[0], retryAfter);
      const got = token ?? answer.response?.token;
      if (!got) throw new LookupFailure('LOOKUP_BAD_ANSWER', 'no session token in the login answer');
      this.token = got;
      return got;
    })().finally(() => {
      this.login = null;
    });
    return this.login;
  }

  private async send(
    method: string,
    path: string,
    body: object,
    headers: Record<string, string>,
  ): Promise<{ status: number; answer: FmAnswer; token: string | null; retryAfter: string | null }> {
    const url = `${this.base}${path}`;
    await this.context.checkUrl(url);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(this.context.timeoutMs),
      });
    } catch (error) {
      throw transportFailure(error);
    }
    const text = await response.text().catch(() => '');
    let answer: FmAnswer = {};
    try {
      answer = text ? (JSON.parse(text) as FmAnswer) : {};
    } catch {
      if (response.ok) throw new LookupFailure('LOOKUP_BAD_ANSWER', 'the answer is not JSON');
    }
    return {
      status: response.status,
      answer,
      token: response.headers.get('x-fm-data-access-token'),
      retryAfter: response.headers.get('retry-after'),
    };
  }
}

/** FileMaker's error answers (`messages: [{code, message}]`) as LookupFailures. */
export function fileMakerFailure(
  status: number,
  message: FmMessage | undefined,
  retryAfter: string | null,
): LookupFailure {
  const detail = `${message?.code ?? ''} ${message?.message ?? ''}`.trim().slice(0, 200) || `HTTP ${status}`;
  const code = message?.code;
  if (status === 429) return new LookupFailure('LOOKUP_RATE_LIMITED', detail, retryAfterMs(retryAfter));
  if (code === '212' || code === '952' || status === 401 || status === 403)
    return new LookupFailure('LOOKUP_AUTH_FAILED', detail);
  // 105 layout missing, 102 field missing, 802 file not open, 404: the settings name something absent.
  if (code === '105' || code === '102' || code === '802' || status === 404)
    return new LookupFailure('LOOKUP_SOURCE_MISCONFIGURED', detail);
  return new LookupFailure('LOOKUP_SOURCE_FAILED', `HTTP ${status} ${detail}`);
}
