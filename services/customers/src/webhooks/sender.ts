import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { BlockList } from 'node:net';
import { RefusedDestination, vettedAddresses, vettingLookup } from './destination';

/** What one attempt gave: the status (null when no answer), how long it took, the first 1 KB of the answer. */
export interface AttemptResult {
  status: number | null;
  latencyMs: number;
  excerpt: string | null;
  error: string | null;
}

export const EXCERPT_BYTES = 1024;

/**
 * One POST of a signed body. No redirect is followed; the answer is read up to 1 KB and the rest
 * dropped; the whole exchange is cut after `timeoutMs`. Holds no database connection.
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowed: BlockList },
): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const target = new URL(url);
  try {
    // IP literals are connected to without a lookup: check them here.
    await vettedAddresses(target.hostname, options.allowed);
  } catch (error) {
    return { status: null, latencyMs: elapsed(), excerpt: null, error: refusal(error) };
  }
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<AttemptResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, latencyMs: elapsed() });
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Thankstar-Webhooks/1',
        },
        lookup: vettingLookup(options.allowed) as never,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          finish({
            status: res.statusCode ?? null,
            excerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8'),
            error: null,
          });
        res.on('data', (chunk: Buffer) => {
          if (size >= EXCERPT_BYTES) return;
          chunks.push(chunk);
          size += chunk.length;
          if (size >= EXCERPT_BYTES) {
            done();
            res.destroy();
          }
        });
        res.on('end', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      finish({ status: null, excerpt: null, error: `timeout after ${options.timeoutMs} ms` });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (err) => finish({ status: null, excerpt: null, error: refusal(err) }));
    req.end(body);
  });
}

function refusal(error: unknown): string {
  if (error instanceof RefusedDestination) return `destination refused (${error.reason})`;
  return error instanceof Error ? error.message.slice(0, 500) : String(error);
}
