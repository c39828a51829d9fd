import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateLimiter, type TokenBucket, takeToken } from './token-bucket';

describe('takeToken', () => {
  it('allows a burst, then refuses with the seconds until the next token', () => {
    const limit = { burst: 3, perSecond: 0.5 };
    let bucket: TokenBucket | undefined;
    const results = [0, 0, 0, 0].map(() => {
      const r = takeToken(bucket, limit, 1000);
      bucket = r.bucket;
      return r;
    });
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]?.retryAfterSeconds).toBe(2);
    expect(takeToken(bucket, limit, 3000).allowed).toBe(true);
  });

  it('never lets more through than the burst plus what was refilled', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 200 }),
        (burst, perSecond, gaps) => {
          let bucket: TokenBucket | undefined;
          let now = 0;
          let allowed = 0;
          for (const gap of gaps) {
            now += gap;
            const r = takeToken(bucket, { burst, perSecond }, now);
            bucket = r.bucket;
            if (r.allowed) allowed++;
            else expect(r.retryAfterSeconds).toBeGreaterThanOrEqual(1);
          }
          expect(allowed).toBeLessThanOrEqual(burst + Math.floor((now / 1000) * perSecond));
        },
      ),
    );
  });

  it('earns nothing when the clock goes back', () => {
    const limit = { burst: 1, perSecond: 1 };
    const first = takeToken(undefined, limit, 10_000);
    expect(takeToken(first.bucket, limit, 5_000).allowed).toBe(false);
  });
});

describe('RateLimiter', () => {
  it('never lets more through than the burst plus what was earned back', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 200 }),
        (burst, perSecond, gaps) => {
          let now = 0;
          const limiter = new RateLimiter({ burst, perSecond }, () => now);
          let allowed = 0;
          for (const gap of gaps) {
            now += gap;
            if (limiter.take('k')) allowed++;
          }
          expect(allowed).toBeLessThanOrEqual(burst + Math.floor((now / 1000) * perSecond));
        },
      ),
    );
  });

  it('allows the burst at once, refuses the next, and recovers with time; keys are separate', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 3, perSecond: 1 }, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
    expect(limiter.take('b')).toBe(true);
    now += 1000;
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
  });

  it('tells how long until the next request, without taking one', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 2, perSecond: 0.5 }, () => now);
    expect(limiter.waitSeconds('a')).toBe(0);
    limiter.take('a');
    limiter.take('a');
    expect(limiter.waitSeconds('a')).toBe(2);
    now += 1_000;
    expect(limiter.waitSeconds('a')).toBe(1);
    now += 1_000;
    expect([limiter.waitSeconds('a'), limiter.take('a')]).toEqual([0, true]);
  });

  it('forgets refilled buckets when it holds too many keys', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 1, perSecond: 1 }, () => now, 2);
    limiter.take('a');
    limiter.take('b');
    now += 5_000;
    limiter.take('c');
    expect(limiter.take('a')).toBe(true);
  });
});
