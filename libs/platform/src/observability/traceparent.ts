import { randomFillSync } from 'node:crypto';

/**
 * W3C Trace Context (`traceparent: 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`). One
 * call keeps one trace id from the webhook through every Kafka hop (the envelope's
 * `traceparent` and a message header) to the graphql-ws push; each hop gets its own span id.
 */
const pattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const zeroTrace = '0'.repeat(32);
const zeroSpan = '0'.repeat(16);

export interface TraceParent {
  traceId: string;
  spanId: string;
  flags: string;
}

export function parseTraceparent(header: string | undefined | null): TraceParent | undefined {
  const m = header ? pattern.exec(header.trim().toLowerCase()) : null;
  if (!m?.[1] || !m[2] || !m[3] || m[1] === zeroTrace || m[2] === zeroSpan) return undefined;
  return { traceId: m[1], spanId: m[2], flags: m[3] };
}

export function formatTraceparent(t: TraceParent): string {
  return `00-${t.traceId}-${t.spanId}-${t.flags}`;
}

// Random ids come from a pool refilled 4 KiB at a time: one call into the CSPRNG per ~170 requests
// instead of two per request (the same bytes, only fetched in bulk).
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

/** A new span under `parent` (same trace id), or the root of a new trace when there is none. */
export function childTraceparent(parent?: string | null): string {
  const p = parseTraceparent(parent);
  return formatTraceparent({
    traceId: p?.traceId ?? randomHex(16),
    spanId: randomHex(8),
    flags: p?.flags ?? '01',
  });
}

/** Kafka headers for an outbox row: the envelope's traceparent, so tools that read headers see the trace. */
export function traceHeadersOf(envelopeJson: string): Record<string, string> | undefined {
  try {
    const traceparent = (JSON.parse(envelopeJson) as { traceparent?: unknown }).traceparent;
    return typeof traceparent === 'string' && parseTraceparent(traceparent) ? { traceparent } : undefined;
  } catch {
    return undefined;
  }
}
