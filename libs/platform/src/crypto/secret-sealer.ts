import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets a service must be able to use again (webhook HMAC secrets, SIP/Twilio credentials,
 * private signing keys) cannot be hashed: they are sealed with AES-256-GCM under a key from the
 * environment. The sealed form is `iv.tag.body`, each base64url; the AES key is SHA-256 of the
 * key material. Telephony and licensing sealed with this exact format before they shared this
 * file, so everything they stored still opens.
 *
 * Key change without downtime: run with the new key in `<keyVariable>` and the old one in
 * `<previousKeyVariable>` (secrets open under either, new ones are sealed with the new key),
 * re-seal what is stored (telephony's `npm run rekey`), then drop the previous key.
 */
export interface SecretSealerOptions {
  /** Environment variable of the current key, e.g. TELEPHONY_SECRET_KEY. */
  keyVariable: string;
  /** Environment variable of the old key during a key change, e.g. TELEPHONY_SECRET_KEY_PREVIOUS. */
  previousKeyVariable: string;
  /** Used outside production when the key variable is unset or empty; production refuses to run without one. */
  developmentKey: string;
}

const aesKeyOf = (material: string) => createHash('sha256').update(material).digest();

/** Seals with this key material (the rekey tool names its keys explicitly). */
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

/**
 * One service's sealer. The environment is read on every call, not once, so a test (or the
 * rekey runbook) that changes the keys sees the change.
 */
export class SecretSealer {
  constructor(private readonly options: SecretSealerOptions) {}

  /** The current key material; throws in production when it is not set. */
  currentKey(): string {
    const secret = process.env[this.options.keyVariable];
    if (!secret && process.env.NODE_ENV === 'production') {
      throw new Error(`${this.options.keyVariable} must be set in production`);
    }
    return secret || this.options.developmentKey;
  }

  /** Always seals with the current key. */
  seal(plain: string): string {
    return sealSecretWith(this.currentKey(), plain);
  }

  /** Opens with the current key, else (during a key change) with the previous one. */
  open(sealed: string): string {
    try {
      return openSecretWith(this.currentKey(), sealed);
    } catch (error) {
      const previous = process.env[this.options.previousKeyVariable];
      if (!previous) throw error;
      return openSecretWith(previous, sealed);
    }
  }
}
