import { renderErrorMessage } from '@thankstar/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadLicensingConfig } from '../config';
import {
  defaultLoginLimit,
  type LoginHistory,
  loginLimitOf,
  loginWaitSeconds,
  pairDelaySeconds,
  throttleWait,
} from './login-limit';

/** The limits as the service reads them: its configuration (config.ts), then the cross-check. */
const loginLimitFromEnv = (env: Record<string, string>) => loginLimitOf(loadLicensingConfig(env));

const limit = defaultLoginLimit;
const now = 1_700_000_000_000;
const quiet: LoginHistory = { pairFailures: 0, addressFailures: 0, accountFailures: 0 };

describe('pairDelaySeconds', () => {
  it('is free for 5 failures, then 1, 2, 4 … seconds up to 15 minutes', () => {
    expect([0, 4, 5, 6, 7, 14, 15, 16, 100].map((n) => pairDelaySeconds(n, limit))).toEqual([
      0, 0, 1, 2, 4, 512, 900, 900, 900,
    ]);
  });

  it('never shrinks with more failures and never passes the ceiling', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (n) => {
        expect(pairDelaySeconds(n + 1, limit)).toBeGreaterThanOrEqual(pairDelaySeconds(n, limit));
        expect(pairDelaySeconds(n, limit)).toBeLessThanOrEqual(limit.maxDelaySeconds);
      }),
    );
  });
});

describe('loginWaitSeconds', () => {
  it('makes the pair wait its delay from its last failure', () => {
    const history = { ...quiet, pairFailures: 7, pairLastFailureAt: now - 1_000 };
    expect(loginWaitSeconds(history, limit, now)).toBe(3);
    expect(loginWaitSeconds(history, limit, now + 3_000)).toBe(0);
  });

  it('holds an address at its cap until the cap-th newest failure leaves the window', () => {
    const history = { ...quiet, addressFailures: 30, addressCapFailureAt: now - 600_000 };
    expect(loginWaitSeconds(history, limit, now)).toBe(300);
    expect(loginWaitSeconds({ ...history, addressFailures: 29 }, limit, now)).toBe(0);
  });

  it('slows an address that already failed at an account over its ceiling', () => {
    const history = { ...quiet, pairFailures: 1, pairLastFailureAt: now, accountFailures: 100 };
    expect(loginWaitSeconds(history, limit, now)).toBe(30);
  });

  it('never stops the owner at an address without failures, whatever happens elsewhere', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: limit.perAddress - 1 }),
        (accountFailures, addressFailures) => {
          expect(loginWaitSeconds({ pairFailures: 0, addressFailures, accountFailures }, limit, now)).toBe(0);
        },
      ),
    );
  });

  it('is never longer than the longest delay a rule allows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        (pairFailures, addressFailures, accountFailures, ago) => {
          const wait = loginWaitSeconds(
            {
              pairFailures,
              pairLastFailureAt: now - ago,
              addressFailures,
              addressCapFailureAt: now - ago,
              accountFailures,
            },
            limit,
            now,
          );
          expect(wait).toBeGreaterThanOrEqual(0);
          expect(wait).toBeLessThanOrEqual(Math.max(limit.maxDelaySeconds, limit.windowSeconds));
        },
      ),
    );
  });
});

describe('loginLimitFromEnv', () => {
  it('reads the defaults and overrides', () => {
    expect(loginLimitFromEnv({})).toEqual(defaultLoginLimit);
    expect(loginLimitFromEnv({ LOGIN_FREE_FAILURES: '3' }).freeFailures).toBe(3);
  });

  it('refuses a typo with the variable’s name instead of NaN', () => {
    expect(() => loginLimitFromEnv({ LOGIN_ATTEMPTS_PER_ADDRESS: '3O' })).toThrow(/LOGIN_ATTEMPTS_PER_ADDRESS/);
    expect(() => loginLimitFromEnv({ LOGIN_MAX_DELAY_SECONDS: '0' })).toThrow(/LOGIN_MAX_DELAY_SECONDS/);
    expect(() => loginLimitFromEnv({ LOGIN_FIRST_DELAY_SECONDS: '10', LOGIN_MAX_DELAY_SECONDS: '5' })).toThrow(
      /LOGIN_MAX_DELAY_SECONDS/,
    );
  });
});

it('tells the wait in Japanese, in seconds or minutes', () => {
  const message = (s: number) => renderErrorMessage('LOGIN_THROTTLED', 'ja', { wait: throttleWait(s) });
  expect(message(8)).toContain('8秒後');
  expect(message(900)).toContain('約15分後');
  expect(renderErrorMessage('LOGIN_THROTTLED', 'en', { wait: throttleWait(900) })).toContain('about 15 min');
});
