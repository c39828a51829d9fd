import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openSecret, openSecretWith, sealSecret, sealSecretWith } from './secret-box';

describe('secret box', () => {
  it('opens what it sealed, and the sealed form never contains the secret', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8 }), (secret) => {
        const sealed = sealSecret(secret);
        expect(sealed).not.toContain(secret);
        expect(openSecret(sealed)).toBe(secret);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a tampered secret', () => {
    const [iv, tag, body] = sealSecret('whsec_abcdefgh').split('.');
    const flipped = Buffer.from(body ?? '', 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => openSecret([iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
  });

  it('opens under TELEPHONY_SECRET_KEY_PREVIOUS during a key change, and not without it', () => {
    const saved = { key: process.env.TELEPHONY_SECRET_KEY, previous: process.env.TELEPHONY_SECRET_KEY_PREVIOUS };
    try {
      const sealedOld = sealSecretWith('old-key', 'whsec_old');
      process.env.TELEPHONY_SECRET_KEY = 'new-key';
      delete process.env.TELEPHONY_SECRET_KEY_PREVIOUS;
      expect(() => openSecret(sealedOld)).toThrow();
      process.env.TELEPHONY_SECRET_KEY_PREVIOUS = 'old-key';
      expect(openSecret(sealedOld)).toBe('whsec_old');
      // New secrets are sealed with the current key only.
      const sealedNew = sealSecret('whsec_new');
      expect(openSecretWith('new-key', sealedNew)).toBe('whsec_new');
      expect(() => openSecretWith('old-key', sealedNew)).toThrow();
    } finally {
      for (const [name, value] of [
        ['TELEPHONY_SECRET_KEY', saved.key],
        ['TELEPHONY_SECRET_KEY_PREVIOUS', saved.previous],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
