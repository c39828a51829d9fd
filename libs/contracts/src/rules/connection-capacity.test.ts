import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connectionCapacity, MAX_CONNECTION_PACKS, MAX_CONNECTIONS } from './connection-capacity';

describe('connectionCapacity', () => {
  it('is 1 included plus 5 per pack', () => {
    expect(connectionCapacity(0)).toBe(1);
    expect(connectionCapacity(1)).toBe(6);
    expect(connectionCapacity(2)).toBe(11);
  });

  it('allows at most 19 packs: the 19th reaches 96, a 20th would pass 100', () => {
    expect(MAX_CONNECTION_PACKS).toBe(19);
    expect(connectionCapacity(MAX_CONNECTION_PACKS)).toBe(96);
    expect(1 + 5 * (MAX_CONNECTION_PACKS + 1)).toBeGreaterThan(MAX_CONNECTIONS);
  });

  it('never exceeds 100 and grows with packs up to the maximum', () => {
    fc.assert(
      fc.property(fc.nat(200), (packs) => {
        const c = connectionCapacity(packs);
        expect(c).toBeLessThanOrEqual(MAX_CONNECTIONS);
        if (packs < MAX_CONNECTION_PACKS) expect(connectionCapacity(packs + 1)).toBe(c + 5);
      }),
    );
  });

  it('refuses negative or fractional packs', () => {
    expect(() => connectionCapacity(-1)).toThrow(RangeError);
    expect(() => connectionCapacity(1.5)).toThrow(RangeError);
  });
});
