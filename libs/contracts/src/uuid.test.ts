import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUuid } from './uuid';

describe('isUuid', () => {
  it('accepts every UUID in either case', () => {
    fc.assert(
      fc.property(fc.uuid(), (u) => {
        expect(isUuid(u)).toBe(true);
        expect(isUuid(u.toUpperCase())).toBe(true);
      }),
    );
    expect(isUuid(randomUUID())).toBe(true);
  });

  it('refuses anything around, inside or instead of a UUID', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string({ minLength: 1 }), (u, extra) => {
        expect(isUuid(`${u}${extra}`)).toBe(false);
        expect(isUuid(`${extra}${u}`)).toBe(false);
      }),
    );
    for (const bad of [
      '',
      'not-a-uuid',
      '1234',
      '00000000-0000-0000-0000-00000000000g',
      '00000000000000000000000000000000',
    ])
      expect(isUuid(bad)).toBe(false);
  });
});
