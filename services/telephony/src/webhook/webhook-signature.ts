import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signatures older or newer than this are refused, so a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck = 'VALID' | 'INVALID_SIGNATURE' | 'SIGNATURE_EXPIRED';

/** `X-Thankstar-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export function signWebhook(secret: string, rawBody: string | Buffer, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, rawBody).toString('hex')}`;
}

function hmac(secret: string, timestamp: number, rawBody: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

function parseHeader(header: string): { timestamp: number; signatures: Buffer[] } | null {
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (name === 'v1' && value && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/**
 * Checks a signature against every active secret of the key (two during a rotation).
 * The signature is verified before the timestamp is judged, so "expired" is only ever said
 * to someone who holds the secret.
 */
export function checkWebhookSignature(options: {
  header: string | undefined;
  rawBody: Buffer;
  secrets: string[];
  nowSeconds: number;
  toleranceSeconds?: number;
}): SignatureCheck {
  const parsed = options.header ? parseHeader(options.header) : null;
  if (!parsed) return 'INVALID_SIGNATURE';
  const matches = options.secrets.some((secret) => {
    const expected = hmac(secret, parsed.timestamp, options.rawBody);
    return parsed.signatures.some((given) => timingSafeEqual(given, expected));
  });
  if (!matches) return 'INVALID_SIGNATURE';
  const tolerance = options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  return Math.abs(options.nowSeconds - parsed.timestamp) > tolerance ? 'SIGNATURE_EXPIRED' : 'VALID';
}
