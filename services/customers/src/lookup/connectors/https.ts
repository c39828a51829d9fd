import type { RawCard } from '../card';
import {
  type Connector,
  type ConnectorContext,
  LookupFailure,
  type LookupQuery,
  type NoteWrite,
  statusFailure,
  transportFailure,
} from './connector';
import { signedHeaders } from './signing';

/**
 * A generic HTTPS source: the tenant's own service. Thankstar POSTs a signed JSON request
 * (signing.ts) to the source's URL:
 * - lookup: `{"type":"lookup","number":"+81312345678","line":"代表"}` → 200
 *   `{"cards":[{"id","title","fields":[{"label","value"}],"links":[{"label","url"}]}]}`
 *   (404 or an empty list: nothing found);
 * - write-back: `{"type":"note","recordId","callId","notes","outcome","at","by"}` → any 2xx.
 * 401/403 mean the signature was refused, 429 with Retry-After pauses the source.
 */
export class HttpsConnector implements Connector {
  constructor(private readonly context: ConnectorContext) {}

  async find(query: LookupQuery): Promise<RawCard[]> {
    const answer = await this.post({ type: 'lookup', number: query.e164, line: query.line }, true);
    if (answer === null) return [];
    const cards = (answer as { cards?: unknown }).cards;
    if (!Array.isArray(cards)) throw new LookupFailure('LOOKUP_BAD_ANSWER', 'the answer has no "cards" list');
    return cards.map((c: { id?: unknown; title?: unknown; fields?: unknown; links?: unknown }) => ({
      recordId: c.id,
      title: c.title,
      fields: Array.isArray(c.fields) ? c.fields : [],
      links: Array.isArray(c.links) ? c.links : [],
    }));
  }

  async writeNote(note: NoteWrite): Promise<void> {
    await this.post({ type: 'note', ...note }, false);
  }

  private async post(message: object, notFoundIsEmpty: boolean): Promise<unknown> {
    const url = this.context.settings.endpoint;
    await this.context.checkUrl(url);
    const body = JSON.stringify(message);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedHeaders(this.context.secret, body) },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.context.timeoutMs),
      });
    } catch (error) {
      throw transportFailure(error);
    }
    const text = await response.text().catch(() => '');
    if (response.status === 404 && notFoundIsEmpty) return null;
    if (!response.ok) throw statusFailure(response.status, text.slice(0, 200), response.headers.get('retry-after'));
    if (!text) return {};
    try {
      return JSON.parse(text);
    } catch {
      throw new LookupFailure('LOOKUP_BAD_ANSWER', 'the answer is not JSON');
    }
  }
}
