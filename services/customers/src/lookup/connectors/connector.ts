import type { RawCard } from '../card';

/** Why a source did not answer, as the tenant's admin sees it (each code is in the error catalogue). */
export const lookupFailureCodes = [
  'LOOKUP_AUTH_FAILED',
  'LOOKUP_SOURCE_MISCONFIGURED',
  'LOOKUP_RATE_LIMITED',
  'LOOKUP_TIMEOUT',
  'LOOKUP_UNREACHABLE',
  'LOOKUP_BAD_ANSWER',
  'LOOKUP_ADDRESS_REFUSED',
  'LOOKUP_SOURCE_FAILED',
  'LOOKUP_CIRCUIT_OPEN',
] as const;
export type LookupFailureCode = (typeof lookupFailureCodes)[number];

/** A source's failure: a code from the catalogue, what the source said (for the admin), and a 429's Retry-After. */
export class LookupFailure extends Error {
  constructor(
    readonly code: LookupFailureCode,
    readonly detail: string,
    readonly retryAfterMs?: number,
  ) {
    super(`${code}: ${detail}`);
  }
}

export interface LookupQuery {
  /** The caller's number in E.164. */
  e164: string;
  /** The line (its label) the call came in on, when known. */
  line: string | null;
}

export interface NoteWrite {
  recordId: string;
  callId: string;
  notes: string | null;
  outcome: string | null;
  at: string;
  by: string | null;
}

/** Non-secret settings of a source (stored as JSON; the secret is sealed apart). */
export interface SourceSettings {
  /** HTTPS: the lookup URL. kintone: the base URL (https://example.cybozu.com). FileMaker: the server URL. */
  endpoint: string;
  /** kintone: the app id. */
  appId?: string | null;
  /** FileMaker: database, layout to find on, account. */
  database?: string | null;
  layout?: string | null;
  account?: string | null;
  /** kintone / FileMaker: the fields holding phone numbers (searched with the caller's number). */
  phoneFields: string[];
  /** The field shown as the card's title (else the record id). */
  titleField?: string | null;
  /** The fields shown on the card, in order, with their labels. */
  displayFields: { field: string; label: string }[];
  notes: {
    /** NONE, kintone COMMENT or TABLE_ROW, FileMaker RELATED_RECORD, HTTPS POST. */
    mode: 'NONE' | 'COMMENT' | 'TABLE_ROW' | 'RELATED_RECORD' | 'POST';
    /** TABLE_ROW: the subtable field; RELATED_RECORD: the notes layout. */
    target?: string | null;
    textField?: string | null;
    outcomeField?: string | null;
    atField?: string | null;
    /** RELATED_RECORD: the field of the notes table holding the parent record's id. */
    keyField?: string | null;
  };
}

export interface ConnectorContext {
  settings: SourceSettings;
  /** The opened secret: kintone API token, FileMaker password, the HTTPS source's signing secret. */
  secret: string;
  /** A source answering later than this is abandoned (the popup went out long before). */
  timeoutMs: number;
  /** Refuses a URL whose host is not allowed (loopback, private, link-local: SSRF). */
  checkUrl(url: string): Promise<void>;
}

export interface Connector {
  find(query: LookupQuery): Promise<RawCard[]>;
  writeNote(note: NoteWrite): Promise<void>;
}

/** The number as a record may hold it: E.164, national with and without hyphens. */
export function numberForms(e164: string, national: string | null, formatted: string | null): string[] {
  return [...new Set([e164, national, formatted].filter((v): v is string => !!v))];
}

/** Retry-After in ms (seconds or an HTTP date), capped at 10 minutes. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 600_000) : undefined;
}

/** A fetch failure (no HTTP answer) as a LookupFailure. */
export function transportFailure(error: unknown): LookupFailure {
  if (error instanceof LookupFailure) return error;
  const name = (error as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new LookupFailure('LOOKUP_TIMEOUT', 'no answer in time');
  const cause = (error as { cause?: { code?: string } })?.cause?.code ?? (error as { code?: string })?.code;
  return new LookupFailure('LOOKUP_UNREACHABLE', cause ?? String((error as Error)?.message ?? error));
}

/** The status of an HTTP answer as a LookupFailure (401/403 credentials, 404 misconfigured, 429 rate). */
export function statusFailure(status: number, detail: string, retryAfter?: string | null): LookupFailure {
  if (status === 401 || status === 403) return new LookupFailure('LOOKUP_AUTH_FAILED', detail);
  if (status === 429) return new LookupFailure('LOOKUP_RATE_LIMITED', detail, retryAfterMs(retryAfter));
  if (status === 404) return new LookupFailure('LOOKUP_SOURCE_MISCONFIGURED', detail);
  return new LookupFailure('LOOKUP_SOURCE_FAILED', `HTTP ${status} ${detail}`);
}
