import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Private signing keys are encrypted at rest with a secret from the environment. */
function secretKey(): Buffer {
  const secret = process.env.LICENSING_KEY_SECRET;
  if (!secret && process.env.NODE_ENV === 'production') {
    throw new Error('LICENSING_KEY_SECRET must be set in production');
  }
  return createHash('sha256')
    .update(secret ?? 'thankstar-local-development-only')
    .digest();
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secretKey(), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function decryptSecret(sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body) throw new Error('malformed sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', secretKey(), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
