import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from './secret-box';

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
});
