import {
  genericClientErrorJa,
  httpStatusMessages,
  renderErrorMessage,
  renderErrorNote,
} from '@thankstar/contracts/errors';

/** What a server error carries beside its code: GraphQL `extensions`, or a REST body. */
interface ServerErrorFields {
  /** The server's own text: Japanese from the services, but a library's English is possible. */
  message?: unknown;
  params?: unknown;
  /** A sentence added without changing the code (e.g. an import's partly-saved rows). */
  note?: unknown;
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

// Hiragana, katakana, CJK ideographs, full-width forms: text a Japanese reader can read as is.
const japanese = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]/;

/**
 * The Japanese a user reads for a server error, by its code: the catalogue's template filled with
 * the error's parameters (the same words the server used, so one code reads the same on every
 * page), then the server's own `message` when the code or a parameter is unknown to this build
 * (a newer server), and never English: a message without Japanese (Apollo's validation text, a
 * proxy's page) gives way to the status's generic sentence.
 */
export function errorMessageJa(code: string, fields: ServerErrorFields = {}, status?: number): string {
  const params = record(fields.params) ?? {};
  const rendered = renderErrorMessage(code, 'ja', params);
  const note = record(fields.note);
  const noteText =
    note && typeof note.key === 'string' ? (renderErrorNote(note.key, 'ja', record(note.params) ?? {}) ?? '') : '';
  if (rendered !== undefined && rendered.trim() !== '') return `${rendered}${noteText}`;
  // The server's message already has the note appended.
  if (typeof fields.message === 'string' && japanese.test(fields.message)) return fields.message;
  return (status !== undefined ? httpStatusMessages[status] : undefined) ?? genericClientErrorJa;
}
