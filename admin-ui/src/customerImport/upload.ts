import { freshAccessToken, refreshSession } from '../auth/refresh';
import { restUrl } from '../config';
import { errorMessageJa } from '../graphql/errorMessage';
import type { ImportReportFieldsFragment } from '../graphql/types';
import { importPath, type UploadOptions } from './rules';

export type ImportReport = ImportReportFieldsFragment;

/** A refused or failed upload: the server's code and its Japanese (or ours when it never answered). */
export class ImportUploadError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Sends the file itself as the body (no base64, no GraphQL size cap) with the bearer token; an
 * expired token is refreshed once and the upload retried (a 401 is answered before the job starts,
 * so the same jobId is reused). Answers the import report; a 4xx/5xx throws ImportUploadError with
 * the catalogue's Japanese for the server's `{code, params, note}` (its `message` when the code is
 * unknown here).
 */
export async function uploadCsv(file: Blob, options: UploadOptions, signal?: AbortSignal): Promise<ImportReport> {
  let token = await freshAccessToken();
  let res = await send(file, options, token, signal);
  if (res.status === 401 && token) {
    token = (await refreshSession())?.accessToken ?? null;
    if (token) res = await send(file, options, token, signal);
  }
  const body = (await res.json().catch(() => null)) as
    | (Partial<ImportReport> & { code?: string; message?: string; params?: unknown; note?: unknown })
    | null;
  if (!res.ok || !body || typeof body.created !== 'number') {
    const code = body?.code ?? `HTTP_${res.status}`;
    throw new ImportUploadError(errorMessageJa(code, body ?? {}, res.status), code, res.status);
  }
  return body as ImportReport;
}

async function send(file: Blob, options: UploadOptions, token: string | null, signal?: AbortSignal) {
  try {
    return await fetch(restUrl(importPath(options)), {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: file,
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    // The connection dropped: e.g. a proxy refused a body over its limit, or the network is down.
    console.warn('The upload did not reach the server', err);
    throw new ImportUploadError(errorMessageJa('NETWORK_ERROR'), 'NETWORK_ERROR', 0);
  }
}
