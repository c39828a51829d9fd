import { MAX_CLOSE_REASON_BYTES } from '@thankstar/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connectionLimitReason } from './lease-close-reason';

describe('connectionLimitReason', () => {
  it('lists the holders when they fit', () => {
    const reason = JSON.parse(connectionLimitReason(1, [{ userName: '佐藤', deviceKind: 'mobile', label: 'iPad' }]));
    expect(reason).toEqual({ code: 'CONNECTION_LIMIT_REACHED', capacity: 1, holders: ['iPad / 佐藤'] });
  });

  it('always fits a close frame, stays JSON and accounts for every holder', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.array(
          fc.record({ userName: fc.string(), deviceKind: fc.constantFrom('web', 'mobile'), label: fc.string() }),
          {
            maxLength: 100,
          },
        ),
        (capacity, holders) => {
          const text = connectionLimitReason(capacity, holders);
          expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
          const parsed = JSON.parse(text) as { code: string; holders?: string[]; more?: number };
          expect(parsed.code).toBe('CONNECTION_LIMIT_REACHED');
          expect((parsed.holders?.length ?? 0) + (parsed.more ?? 0)).toBe(holders.length);
        },
      ),
    );
  });
});
