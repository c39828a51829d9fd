import { describe, expect, it } from 'vitest';
import { formatPairingCode, newPairingCode, newSecret, normalizePairingCode, PAIRING_ALPHABET } from './pairing-code';

describe('pairing codes', () => {
  it('are 8 characters of the unambiguous alphabet, shown as XXXX-XXXX', () => {
    for (let i = 0; i < 200; i++) {
      const code = newPairingCode();
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      for (const c of code.replace('-', '')) expect(PAIRING_ALPHABET).toContain(c);
    }
    expect(PAIRING_ALPHABET).not.toMatch(/[01ILO]/);
  });

  it('read what an admin types regardless of case, spaces and hyphens, and refuse what cannot be a code', () => {
    expect(normalizePairingCode(' abcd-efgh ')).toBe('ABCDEFGH');
    expect(normalizePairingCode('ABCD EFGH')).toBe('ABCDEFGH');
    expect(normalizePairingCode('ABCD-EFG')).toBeUndefined();
    expect(normalizePairingCode('ABCD-EFG0')).toBeUndefined();
    expect(formatPairingCode('ABCDEFGH')).toBe('ABCD-EFGH');
  });

  it('make credentials of 32 random bytes in base64url', () => {
    const a = newSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSecret()).not.toBe(a);
  });
});
