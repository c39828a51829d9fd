import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { ja } from '../i18n/ja';
import {
  errorMessageKey,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  passwordFormProblem,
  tokenFrom,
} from './accountRules';

const lookup = (messages: object, key: string): unknown =>
  key
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), messages);

describe('tokenFrom', () => {
  it('reads the token licensing puts in the link, percent-encoding undone', () => {
    expect(tokenFrom('?token=abc_DEF-123')).toBe('abc_DEF-123');
    expect(tokenFrom(`?token=${encodeURIComponent('a+b/c=')}`)).toBe('a+b/c=');
  });

  it('has no token for an empty or missing parameter', () => {
    expect(tokenFrom('')).toBeNull();
    expect(tokenFrom('?token=')).toBeNull();
    expect(tokenFrom('?other=1')).toBeNull();
  });

  it('round-trips any token a link can carry', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => s.trim() === s && s.length > 0),
        (token) => {
          expect(tokenFrom(`?token=${encodeURIComponent(token)}`)).toBe(token);
        },
      ),
    );
  });
});

describe('passwordFormProblem', () => {
  it('refuses a password shorter than the policy and accepts one at its length', () => {
    const short = 'x'.repeat(MIN_PASSWORD_LENGTH - 1);
    const ok = 'x'.repeat(MIN_PASSWORD_LENGTH);
    expect(passwordFormProblem(short, short)).toBe('length');
    expect(passwordFormProblem(ok, ok)).toBeNull();
    const long = 'x'.repeat(MAX_PASSWORD_LENGTH + 1);
    expect(passwordFormProblem(long, long)).toBe('length');
  });

  it('refuses a confirmation that differs', () => {
    expect(passwordFormProblem('correct horse battery', 'correct horse batterY')).toBe('mismatch');
  });

  it('accepts exactly the policy-length passwords typed twice the same', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (pw) => {
        const length = [...pw.normalize('NFKC')].length;
        const fits = length >= MIN_PASSWORD_LENGTH && length <= MAX_PASSWORD_LENGTH;
        expect(passwordFormProblem(pw, pw)).toBe(fits ? null : 'length');
      }),
    );
  });
});

describe('errorMessageKey', () => {
  it('explains the token and policy codes of each page in both languages', () => {
    const cases: Array<['accept-invitation' | 'reset-password', string]> = [
      ['accept-invitation', 'INVALID_INVITATION'],
      ['accept-invitation', 'EMAIL_TAKEN'],
      ['accept-invitation', 'BAD_USER_INPUT'],
      ['reset-password', 'INVALID_RESET_TOKEN'],
      ['reset-password', 'BAD_USER_INPUT'],
    ];
    for (const [page, code] of cases) {
      const key = errorMessageKey(page, code);
      expect(key).toBe(`app.account.errors.${code}`);
      expect(typeof lookup(ja, key)).toBe('string');
      expect(typeof lookup(en, key)).toBe('string');
    }
  });

  it('falls back to a general message for any other code, which exists too', () => {
    fc.assert(
      fc.property(fc.string(), (code) => {
        fc.pre(
          !['INVALID_INVITATION', 'EMAIL_TAKEN', 'BAD_USER_INPUT', 'NETWORK_ERROR', 'RATE_LIMITED'].includes(code),
        );
        expect(errorMessageKey('accept-invitation', code)).toBe('app.account.errors.unknown');
      }),
    );
    // A reset token's code is not an invitation's.
    expect(errorMessageKey('reset-password', 'INVALID_INVITATION')).toBe('app.account.errors.unknown');
    expect(typeof lookup(ja, 'app.account.errors.unknown')).toBe('string');
  });
});
