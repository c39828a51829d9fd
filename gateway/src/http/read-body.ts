import type { IncomingMessage } from 'node:http';
import { DomainError } from '@thankstar/platform';

/** Reads the request body, refusing (413) more than `maxBytes` before buffering it. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw payloadTooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw payloadTooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const payloadTooLarge = (maxBytes: number) => new DomainError('PAYLOAD_TOO_LARGE', { maxBytes });
