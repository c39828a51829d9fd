import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openSecretWith, SecretSealer, sealSecretWith } from './secret-sealer';

const KEY = 'SECRET_SEALER_TEST_KEY';
const PREVIOUS = 'SECRET_SEALER_TEST_KEY_PREVIOUS';
const sealer = new SecretSealer({ keyVariable: KEY, previousKeyVariable: PREVIOUS, developmentKey: 'dev-key' });

describe('SecretSealer', () => {
  it('opens what it sealed under any key, never shows the secret, and refuses another key', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8 }), fc.string({ minLength: 1 }), (secret, key) => {
        const sealed = sealSecretWith(key, secret);
        expect(sealed).not.toContain(secret);
        expect(sealed.split('.')).toHaveLength(3);
        expect(openSecretWith(key, sealed)).toBe(secret);
        expect(() => openSecretWith(`${key}x`, sealed)).toThrow();
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a malformed sealed value', () => {
    expect(() => openSecretWith('k', 'not-sealed')).toThrow('malformed sealed secret');
  });

  it('uses the development key when the variable is unset or empty, the variable otherwise', () => {
    const saved = process.env[KEY];
    try {
      delete process.env[KEY];
      expect(openSecretWith('dev-key', sealer.seal('a'))).toBe('a');
      process.env[KEY] = '';
      expect(openSecretWith('dev-key', sealer.seal('b'))).toBe('b');
      process.env[KEY] = 'real-key';
      expect(openSecretWith('real-key', sealer.seal('c'))).toBe('c');
    } finally {
      if (saved === undefined) delete process.env[KEY];
      else process.env[KEY] = saved;
    }
  });

  it('falls back to the previous key only when it is set', () => {
    try {
      process.env[KEY] = 'new';
      const old = sealSecretWith('old', 'x');
      expect(() => sealer.open(old)).toThrow();
      process.env[PREVIOUS] = 'old';
      expect(sealer.open(old)).toBe('x');
      expect(openSecretWith('new', sealer.seal('y'))).toBe('y');
    } finally {
      delete process.env[KEY];
      delete process.env[PREVIOUS];
    }
  });
});
