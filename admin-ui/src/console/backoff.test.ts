import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffMs } from './popupFeed';

describe('backoffMs', () => {
  it('doubles from 1 s up to 30 s, with jitter down to half', () => {
    expect(backoffMs(0, () => 1)).toBe(1000);
    expect(backoffMs(3, () => 1)).toBe(8000);
    expect(backoffMs(10, () => 1)).toBe(30_000);
    expect(backoffMs(10, () => 0)).toBe(15_000);
  });

  it('never waits less than 0.5 s or more than 30 s', () => {
    fc.assert(
      fc.property(fc.nat(100), fc.double({ min: 0, max: 1, noNaN: true }), (retries, r) => {
        const ms = backoffMs(retries, () => r);
        expect(ms).toBeGreaterThanOrEqual(500);
        expect(ms).toBeLessThanOrEqual(30_000);
      }),
    );
  });
});
