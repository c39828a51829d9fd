import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Bucket, takeToken } from './rate-limit';

describe('takeToken', () => {
  it('allows a burst, then refuses with the seconds until the next token', () => {
    const limit = { burst: 3, perSecond: 0.5 };
    let bucket: Bucket | undefined;
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
          let bucket: Bucket | undefined;
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
});
