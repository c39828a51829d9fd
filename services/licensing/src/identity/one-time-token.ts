import { createHash, randomBytes } from 'node:crypto';

/** A 256-bit random token for the user, and the only thing we store: its SHA-256. */
export function newOneTimeToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
