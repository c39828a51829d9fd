import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caughtUp, consumedBefore, pendingBefore, requiredWatermark } from './pipeline-watermark';

const partition = fc.tuple(fc.nat({ max: 1_000 }), fc.nat({ max: 1_000 }), fc.nat({ max: 1_000 })).map(([a, b, c]) => {
  // A log: start ≤ first message at or after the instant ≤ end; the group somewhere in between.
  const [consumed, firstAtOrAfter, end] = [a, a + b, a + b + c].map(BigInt) as [bigint, bigint, bigint];
  return { consumed, firstAtOrAfter, end };
});
const topic = fc
  .array(partition, { minLength: 1, maxLength: 12 })
  .map((ps) => ps.map((p, i) => ({ partition: i, ...p })));

describe('the pipeline watermark', () => {
  it('passes only when no partition holds an unconsumed message written before the instant', () => {
    fc.assert(
      fc.property(topic, (progress) => {
        expect(consumedBefore(progress)).toBe(pendingBefore(progress) === 0n);
      }),
    );
  });

  it('a group at the end of every partition has consumed everything before any instant', () => {
    fc.assert(
      fc.property(topic, (progress) => {
        const atEnd = progress.map((p) => ({ ...p, consumed: p.end }));
        expect(caughtUp(atEnd)).toBe(true);
        expect(consumedBefore(atEnd)).toBe(true);
      }),
    );
  });

  it('one partition behind holds the close back, however far ahead the others are', () => {
    const progress = [
      { partition: 0, consumed: 500n, firstAtOrAfter: 10n, end: 500n },
      { partition: 1, consumed: 41n, firstAtOrAfter: 42n, end: 90n },
    ];
    expect(consumedBefore(progress)).toBe(false);
    expect(pendingBefore(progress)).toBe(1n);
    expect(caughtUp(progress)).toBe(false);
  });

  it('knows nothing from a topic with no partitions (the broker did not answer for it)', () => {
    expect(consumedBefore([])).toBe(false);
    expect(caughtUp([])).toBe(false);
  });

  it('asks for the month end plus the grace, and refuses a grace that is not whole milliseconds', () => {
    expect(requiredWatermark(new Date('2026-11-30T15:00:00Z'), 120_000).toISOString()).toBe('2026-11-30T15:02:00.000Z');
    expect(() => requiredWatermark(new Date(), -1)).toThrow(RangeError);
    expect(() => requiredWatermark(new Date(), 0.5)).toThrow(RangeError);
  });
});
