import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKOFF_MAX_MS, reRegisterAfterMs, retryAfterFailureMs } from './sip-registration';

describe('registration timing', () => {
  it('renews before the binding expires', () => {
    expect(reRegisterAfterMs(3600)).toBe(2_880_000);
    expect(reRegisterAfterMs(10)).toBe(5000);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 86_400 }), (expires) => {
        const after = reRegisterAfterMs(expires);
        expect(after).toBeLessThan(expires * 1000);
        expect(after).toBeGreaterThan(0);
      }),
    );
  });

  it('backs off exponentially after failures, up to a cap', () => {
    expect([1, 2, 3, 4].map(retryAfterFailureMs)).toEqual([1000, 2000, 4000, 8000]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (n) => {
        expect(retryAfterFailureMs(n + 1)).toBeGreaterThanOrEqual(retryAfterFailureMs(n));
        expect(retryAfterFailureMs(n)).toBeLessThanOrEqual(BACKOFF_MAX_MS);
      }),
    );
  });
});
