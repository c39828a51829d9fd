import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberRun } from './invoice-numbering';

describe('numberRun', () => {
  it('names the run that ends at the counter, zero-padded to 6 digits', () => {
    expect(numberRun('INV', 3, 3)).toEqual(['INV-000001', 'INV-000002', 'INV-000003']);
    expect(numberRun('CN', 12, 1)).toEqual(['CN-000012']);
  });

  it('two runs taken one after the other are consecutive, without a gap or a repeat', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), (start, a, b) => {
        const first = numberRun('INV', start + a, a);
        const second = numberRun('INV', start + a + b, b);
        const all = [...first, ...second].map((n) => Number(n.slice(4)));
        expect(all).toEqual(Array.from({ length: a + b }, (_, i) => start + 1 + i));
      }),
    );
  });
});
