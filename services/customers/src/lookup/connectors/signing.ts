import { createHmac, randomBytes, randomUUID } from 'node:crypto';

/**
 * The generic HTTPS source's requests are signed like our outbound webhooks: the Standard
 * Webhooks headers (webhook-id, webhook-timestamp, webhook-signature = "v1,<base64 HMAC-SHA256 of
 * id.timestamp.body>") with a `whsec_` secret, so one verifier serves both.
 */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function signedHeaders(secret: string, body: string, now = new Date()): Record<string, string> {
  const id = `msg_${randomUUID()}`;
  const timestamp = Math.floor(now.getTime() / 1000).toString();
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
