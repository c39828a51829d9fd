import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterFailure, backoffMs, delivered } from './retry-schedule';

const policy = { baseMs: 5_000, maxMs: 3_600_000, retryForMs: 86_400_000 };

describe('retry schedule', () => {
  it('doubles from the base up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(policy, n))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(backoffMs(policy, 30)).toBe(3_600_000);
    expect(backoffMs(policy, 10_000)).toBe(3_600_000);
  });

  it('never gives up before the first attempt is 24 hours old, and always after', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 3 * 86_400_000 }), (attempts, age) => {
        const first = new Date(1_800_000_000_000);
        const now = new Date(first.getTime() + age);
        const next = afterFailure(policy, attempts, first, now);
        expect(next.giveUp).toBe(age >= policy.retryForMs);
        if (!next.giveUp) expect(next.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
      }),
    );
  });

  it('keeps retrying for the whole window when every attempt fails', () => {
    const first = new Date(0);
    let now = first;
    let attempts = 1;
    for (;;) {
      const next = afterFailure(policy, attempts, first, now);
      if (next.giveUp) break;
      now = next.nextAttemptAt;
      attempts += 1;
    }
    expect(now.getTime()).toBeGreaterThanOrEqual(policy.retryForMs);
    expect(attempts).toBeGreaterThan(20);
  });

  it('counts any 2xx as delivered, and nothing else', () => {
    expect([200, 201, 204, 299].every(delivered)).toBe(true);
    expect([null, 199, 300, 301, 400, 410, 500].some(delivered)).toBe(false);
  });
});
