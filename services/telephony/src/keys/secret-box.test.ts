import { openSecretWith, sealSecretWith } from '@thankstar/platform';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { secretBox } from './secret-box';

const openSecret = (sealed: string) => secretBox.open(sealed);
const sealSecret = (plain: string) => secretBox.seal(plain);

/** Sealed by telephony's own secret-box.ts before it used the platform's SecretSealer. */
const sealedByTheOldCode = {
  developmentKey: {
    sealed: 'oAsqSxOvE_hbZfNp.HchfYLO_T3iJDhaM65Putw._r3UNExwIcAcagGmpIuJ7LEc24NCGGc',
    plain: 'whsec_fixture-telephony',
  },
  namedKey: {
    sealed: 'xPf0AL3tHbybDNYo.NTXXJKIqY0LUHO0xbMFiDA.SgBg4CYtaIT8UxUoz98P_huCIKBFjA',
    plain: 'sip-password-日本語',
  },
};

function withEnv(values: Record<string, string | undefined>, run: () => void): void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const set = (entries: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  try {
    set(values);
    run();
  } finally {
    set(saved);
  }
}

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
    withEnv({ TELEPHONY_SECRET_KEY: undefined, TELEPHONY_SECRET_KEY_PREVIOUS: undefined }, () => {
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
    });
  });

  it('still opens secrets sealed by the code it replaced', () => {
    withEnv({ TELEPHONY_SECRET_KEY: undefined, TELEPHONY_SECRET_KEY_PREVIOUS: undefined }, () => {
      expect(openSecret(sealedByTheOldCode.developmentKey.sealed)).toBe(sealedByTheOldCode.developmentKey.plain);
      expect(() => openSecret(sealedByTheOldCode.namedKey.sealed)).toThrow();
      process.env.TELEPHONY_SECRET_KEY = 'old-production-key';
      expect(openSecret(sealedByTheOldCode.namedKey.sealed)).toBe(sealedByTheOldCode.namedKey.plain);
      process.env.TELEPHONY_SECRET_KEY = 'a-newer-key';
      process.env.TELEPHONY_SECRET_KEY_PREVIOUS = 'old-production-key';
      expect(openSecret(sealedByTheOldCode.namedKey.sealed)).toBe(sealedByTheOldCode.namedKey.plain);
    });
  });

  it('refuses to seal in production without TELEPHONY_SECRET_KEY', () => {
    withEnv({ NODE_ENV: 'production', TELEPHONY_SECRET_KEY: undefined }, () => {
      expect(() => sealSecret('whsec_x')).toThrow('TELEPHONY_SECRET_KEY must be set in production');
    });
  });
});
