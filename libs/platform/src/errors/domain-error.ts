import {
  type ErrorCode,
  type ErrorEntry,
  type ErrorNoteKey,
  type ErrorNoteParams,
  type ErrorParamName,
  type ErrorParams,
  type ErrorParamValue,
  errorCatalogue,
  type Localized,
  type ResourceName,
  renderErrorMessage,
  renderErrorNote,
  resourceNames,
  wireCode,
} from '@thankstar/contracts';

/** A code with no parameters takes none; one with parameters must be given all of them. */
type ParamsArg<C extends ErrorCode> = [ErrorParamName<C>] extends [never]
  ? [params?: Record<string, never>, details?: Record<string, unknown>]
  : [params: ErrorParams<C>, details?: Record<string, unknown>];

type Params = Readonly<Record<string, ErrorParamValue>>;

/**
 * An error a user can act on: a catalogue key (libs/contracts errors/catalogue.ts), its
 * parameters, and optional machine-readable details. The code on the wire, the HTTP status and
 * the messages all come from the catalogue, so a throw site cannot invent a code (`key` is a
 * union of the catalogue's keys) nor word the same refusal differently from its siblings.
 * `message` is the Japanese users read; `messageEn` is for integrators and logs.
 */
export class DomainError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: string;
  readonly status: number;
  readonly params: Params;
  readonly details?: Record<string, unknown>;
  readonly messageEn: string;
  readonly note?: { readonly key: ErrorNoteKey; readonly params: Params };

  constructor(
    readonly key: C,
    ...[params, details]: ParamsArg<C>
  ) {
    const p: Params = params ?? {};
    super(render(key, 'ja', p));
    this.name = 'DomainError';
    this.code = wireCode(key);
    this.status = (errorCatalogue[key] as ErrorEntry).status;
    this.params = p;
    this.messageEn = render(key, 'en', p);
    if (details) this.details = details;
  }

  /** The same error (code, status, params, details) with a sentence added to both messages. */
  withNote<N extends ErrorNoteKey>(note: N, params: ErrorNoteParams<N>): DomainError<C> {
    const Ctor = DomainError as new (key: C, params: Params, details?: Record<string, unknown>) => DomainError<C>;
    const copy = new Ctor(this.key, this.params, this.details);
    return Object.assign(copy, {
      note: { key: note, params },
      message: `${this.message}${renderErrorNote(note, 'ja', params) ?? ''}`,
      messageEn: `${this.messageEn} ${renderErrorNote(note, 'en', params) ?? ''}`,
    });
  }
}

function render(key: ErrorCode, language: 'ja' | 'en', params: Params): string {
  // Types make every parameter present; a missing one at run time (a cast) still gives text.
  return renderErrorMessage(key, language, params) ?? errorCatalogue[key][language];
}

/** A reason given in both languages, or one string used for both (already-localised rule output). */
export type Reason = Localized | string;

export const unauthenticated = (
  reason: Reason = { ja: '有効なアクセストークンが必要です。', en: 'A valid access token is required.' },
) => new DomainError('UNAUTHENTICATED', { reason });
export const forbidden = (
  reason: Reason = { ja: 'この操作は許可されていません。', en: 'You are not allowed to do this.' },
) => new DomainError('FORBIDDEN', { reason });
export const notFound = (resource: ResourceName) => new DomainError('NOT_FOUND', { resource: resourceNames[resource] });
export const badInput = (reason: Reason, details?: Record<string, unknown>) =>
  new DomainError('BAD_USER_INPUT', { reason }, details);
