import { freshAccessToken } from '../auth/refresh';
import { restUrl } from '../config';
import { GatewayError } from '../graphql/client';
import { errorMessageJa } from '../graphql/errorMessage';

/** Fetches an invoice PDF with the bearer token and hands it to the browser as a download. */
export async function downloadPdf(pdfPath: string, filename: string): Promise<void> {
  const token = await freshAccessToken();
  const res = await fetch(restUrl(pdfPath), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { code?: string; message?: string; params?: unknown } | null;
    const code = body?.code ?? 'PDF_DOWNLOAD_FAILED';
    throw new GatewayError(errorMessageJa(code, body ?? {}, res.status), code, undefined, res.status);
  }
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
