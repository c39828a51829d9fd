import { createHash, randomBytes, randomInt } from 'node:crypto';

/**
 * Pairing codes and device credentials (docs/product-rules.md#concurrent-connections). Pure: no
 * Nest, no database. The code is what a person reads off the PC and types on the admin's screen,
 * so its alphabet leaves out look-alikes (0/O, 1/I/L); the credential and the polling secret are
 * 32 random bytes that no person ever types.
 */
export const PAIRING_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PAIRING_CODE_LENGTH = 8;
/** How long a pairing code can be approved. */
export const PAIRING_TTL_SECONDS = 600;

/** A new code, 8 characters, shown as XXXX-XXXX. */
export function newPairingCode(random: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++) code += PAIRING_ALPHABET[random(PAIRING_ALPHABET.length)];
  return formatPairingCode(code);
}

export const formatPairingCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`;

/**
 * What an admin typed, as the canonical 8 characters: case, spaces and hyphens do not matter;
 * undefined when it cannot be a code (so it is refused without a lookup).
 */
export function normalizePairingCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== PAIRING_CODE_LENGTH) return undefined;
  for (const c of code) if (!PAIRING_ALPHABET.includes(c)) return undefined;
  return code;
}

/** 32 random bytes, base64url: a device credential or a pairing's polling secret. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** Only this is stored, for codes, polling secrets and credentials alike. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
