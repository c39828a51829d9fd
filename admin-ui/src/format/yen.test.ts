import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatYen } from './yen';

describe('formatYen', () => {
  it('writes integer yen with a half-width sign and thousands separators', () => {
    expect(formatYen(0)).toBe('¥0');
    expect(formatYen(1234)).toBe('¥1,234');
    expect(formatYen(59_400)).toBe('¥59,400');
    expect(formatYen(-1050)).toBe('-¥1,050');
    expect(formatYen(null)).toBe('');
  });

  it('keeps every digit of any safe integer amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => {
        expect(Number(formatYen(n).replace(/[¥,]/g, ''))).toBe(n);
      }),
    );
  });
});
