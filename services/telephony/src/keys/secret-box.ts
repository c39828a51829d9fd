import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Webhook secrets and SIP/Twilio credentials must be usable (HMAC verification needs the
 * secret itself), so they cannot be hashed: they are sealed with AES-256-GCM under
 * TELEPHONY_SECRET_KEY. Outside production a fixed development key is allowed.
 *
 * Changing the key (see docs/operations.md): run with the new key in TELEPHONY_SECRET_KEY and
 * the old one in TELEPHONY_SECRET_KEY_PREVIOUS (secrets open under either), re-seal the stored
 * secrets with `npm run rekey`, then drop TELEPHONY_SECRET_KEY_PREVIOUS.
 */
export const DEVELOPMENT_SECRET_KEY = 'thankstar-telephony-local-development-only';

function currentKeyMaterial(): string {
  const secret = process.env.TELEPHONY_SECRET_KEY;
  if (!secret && process.env.NODE_ENV === 'production') {
    throw new Error('TELEPHONY_SECRET_KEY must be set in production');
  }
  return secret || DEVELOPMENT_SECRET_KEY;
}

const aesKeyOf = (material: string) => createHash('sha256').update(material).digest();

export function sealSecretWith(material: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', aesKeyOf(material), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

/** Opens a sealed secret with this key; throws when it was sealed with another key or altered. */
export function openSecretWith(material: string, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body) throw new Error('malformed sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', aesKeyOf(material), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

export function sealSecret(plain: string): string {
  return sealSecretWith(currentKeyMaterial(), plain);
}

/** Opens with TELEPHONY_SECRET_KEY, else (during a key change) with TELEPHONY_SECRET_KEY_PREVIOUS. */
export function openSecret(sealed: string): string {
  try {
    return openSecretWith(currentKeyMaterial(), sealed);
  } catch (error) {
    const previous = process.env.TELEPHONY_SECRET_KEY_PREVIOUS;
    if (!previous) throw error;
    return openSecretWith(previous, sealed);
  }
}
