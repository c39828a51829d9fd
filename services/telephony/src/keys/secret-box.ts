import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Webhook secrets and SIP/Twilio credentials must be usable (HMAC verification needs the
 * secret itself), so they cannot be hashed: they are sealed with AES-256-GCM under
 * TELEPHONY_SECRET_KEY. Outside production a fixed development key is allowed.
 */
function sealingKey(): Buffer {
  const secret = process.env.TELEPHONY_SECRET_KEY;
  if (!secret && process.env.NODE_ENV === 'production') {
    throw new Error('TELEPHONY_SECRET_KEY must be set in production');
  }
  return createHash('sha256')
    .update(secret ?? 'thankstar-telephony-local-development-only')
    .digest();
}

export function sealSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function openSecret(sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body) throw new Error('malformed sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
