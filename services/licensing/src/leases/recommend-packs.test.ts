import { connectionCapacity, MAX_CONNECTION_PACKS } from '@thankstar/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recommendPacks } from './recommend-packs';

describe('recommendPacks', () => {
  it('follows the spec example: a peak of 8 needs 2 packs', () => {
    expect(recommendPacks(8)).toMatchObject({
      packs: 2,
      capacity: 11,
      message: '過去30日のピーク 8：接続パック 2 件',
      messageEn: 'peak 8 in the last 30 days: 2 packs',
    });
  });

  it.each([
    [0, 0, 1],
    [1, 0, 1],
    [2, 1, 6],
    [6, 1, 6],
    [7, 2, 11],
    [96, 19, 96],
  ])('peak %i needs %i packs (capacity %i)', (peak, packs, capacity) => {
    expect(recommendPacks(peak)).toMatchObject({ packs, capacity, exceedsMaximum: false });
  });

  it.each([97, 100, 130])('says so when the peak (%i) is beyond what can be bought: 19 packs, 96', (peak) => {
    // Billing sells at most 19 packs (a 20th would pay for nothing under the 100 cap).
    const r = recommendPacks(peak);
    expect(r).toMatchObject({ packs: MAX_CONNECTION_PACKS, capacity: 96, exceedsMaximum: true });
    expect(r.messageEn).toContain('more than the most that can be bought');
    expect(r.message).toContain('購入できる上限（同時接続 96、最大 100）を超えています');
  });

  it('rejects negative or fractional peaks', () => {
    expect(() => recommendPacks(-1)).toThrow(RangeError);
    expect(() => recommendPacks(2.5)).toThrow(RangeError);
  });

  it('is the fewest packs that cover the peak', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: connectionCapacity(MAX_CONNECTION_PACKS) }), (peak) => {
        const { packs, capacity } = recommendPacks(peak);
        expect(capacity).toBe(connectionCapacity(packs));
        expect(capacity).toBeGreaterThanOrEqual(peak);
        if (packs > 0) expect(connectionCapacity(packs - 1)).toBeLessThan(peak);
      }),
    );
  });

  it('never recommends fewer packs for a higher peak', () => {
    fc.assert(
      fc.property(fc.nat(300), fc.nat(300), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(recommendPacks(lo).packs).toBeLessThanOrEqual(recommendPacks(hi).packs);
      }),
    );
  });
});

describe('connectionCapacity', () => {
  it('is 1 + 5 × packs, at most 100', () => {
    expect(connectionCapacity(0)).toBe(1);
    expect(connectionCapacity(1)).toBe(6);
    expect(connectionCapacity(19)).toBe(96);
    expect(connectionCapacity(25)).toBe(100);
    fc.assert(fc.property(fc.nat(1000), (p) => connectionCapacity(p) === Math.min(100, 1 + 5 * p)));
  });
});
