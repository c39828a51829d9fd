import { DomainError } from '@thankstar/platform';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limits } from './limits';
import { type CheckedPhone, checkPhones, parsePhone, phoneSearchOf, phonesToAdd } from './phone-rules';

const codeOf = (f: () => unknown): string | null => {
  try {
    f();
    return null;
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
};

/** Mobile numbers 090-xxxx-xxxx, written with or without hyphens. */
const mobile = (n: number, hyphens: boolean) => {
  const digits = String(10_000_000 + n).slice(-8);
  return hyphens ? `090-${digits.slice(0, 4)}-${digits.slice(4)}` : `090${digits}`;
};

describe('checkPhones', () => {
  it('trims the number, defaults the type to OTHER, drops an empty label, parses each number once', () => {
    expect(
      checkPhones([
        { number: ' ０３－１２３４－５６７８ ', label: '  ' },
        { number: '090-1111-2222', type: 'MOBILE', label: ' 私用 ' },
      ]),
    ).toEqual([
      {
        number: '０３－１２３４－５６７８',
        type: 'OTHER',
        label: null,
        keys: { e164: '+81312345678', nationalDigits: '312345678', display: '03-1234-5678' },
      },
      {
        number: '090-1111-2222',
        type: 'MOBILE',
        label: '私用',
        keys: { e164: '+819011112222', nationalDigits: '9011112222', display: '090-1111-2222' },
      },
    ]);
  });

  it('refuses a text that is not a number with INVALID_PHONE_NUMBER, and more numbers than the limit with BAD_USER_INPUT', () => {
    expect(codeOf(() => checkPhones([{ number: '03-1234-5678' }, { number: 'abc' }]))).toBe('INVALID_PHONE_NUMBER');
    expect(codeOf(() => parsePhone('P'))).toBe('INVALID_PHONE_NUMBER');
    const many = Array.from({ length: limits.phones.count + 1 }, (_, i) => ({ number: mobile(i, true) }));
    expect(codeOf(() => checkPhones(many))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => checkPhones(many.slice(1)))).toBeNull();
  });
});

describe('parsePhone', () => {
  it('refuses what is not a phone number a caller can have: 12345, abc-123, an area that does not exist', () => {
    for (const raw of ['12345', 'abc-123', '03-0000-0000', '090-1234-5678 内線2']) {
      expect(
        codeOf(() => parsePhone(raw)),
        raw,
      ).toBe('INVALID_PHONE_NUMBER');
    }
    expect(parsePhone('0120-000-999').nationalDigits).toBe('120000999');
  });
});

describe('phoneSearchOf', () => {
  it('matches a whole number on its keys and part of one on its digits as written in Japan', () => {
    expect(phoneSearchOf('03-1234-5678')).toEqual({
      keys: { e164: '+81312345678', nationalDigits: '312345678', display: '03-1234-5678' },
    });
    expect(phoneSearchOf('1111')).toEqual({ digits: '1111' });
    expect(phoneSearchOf('０９０－１１１１')).toEqual({ digits: '0901111' });
    expect(phoneSearchOf('+81 90 1111')).toEqual({ digits: '0901111' });
    expect(phoneSearchOf('03-0000-0000')).toEqual({ digits: '0300000000' });
  });

  it('refuses a search that is not digits, or too short to be part of a number', () => {
    expect(codeOf(() => phoneSearchOf('111'))).toBe('INVALID_PHONE_NUMBER');
    expect(codeOf(() => phoneSearchOf('abc'))).toBe('INVALID_PHONE_NUMBER');
  });
});

describe('phonesToAdd', () => {
  const checked = (numbers: string[]): CheckedPhone[] => checkPhones(numbers.map((number) => ({ number })));

  it('adds to a customer only the numbers it does not have, in any format', () => {
    const known = new Set<string | null>(['312345678']);
    const added = phonesToAdd(known, checked(['(03)1234-5678', '090-1111-2222', '09011112222']));
    expect(added.map((p) => p.number)).toEqual(['090-1111-2222']);
    expect(known).toEqual(new Set(['312345678']));
  });

  it('gives a new customer every number of its input', () => {
    expect(phonesToAdd(null, checked(['03-1234-5678', '0312345678'])).map((p) => p.number)).toEqual([
      '03-1234-5678',
      '0312345678',
    ]);
  });

  it('property: nothing known is added, nothing twice, in input order; refused exactly past the cap', () => {
    fc.assert(
      fc.property(
        fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 14 }), { maxLength: 12 }), { nil: null }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 14 }), fc.boolean()), { maxLength: limits.phones.count }),
        (knownNumbers, input) => {
          const phones = checked(input.map(([n, hyphens]) => mobile(n, hyphens)));
          const known = knownNumbers
            ? new Set<string | null>(knownNumbers.map((n) => parsePhone(mobile(n, false)).nationalDigits))
            : null;
          const distinct = new Set([...(known ?? []), ...phones.map((p) => p.keys.nationalDigits)]);
          const over = phones.length > 0 && distinct.size > limits.phones.count;
          expect(codeOf(() => phonesToAdd(known, phones))).toBe(over ? 'BAD_USER_INPUT' : null);
          if (over) return;
          const added = phonesToAdd(known, phones);
          if (!known) {
            expect(added).toEqual(phones);
            return;
          }
          const digits = added.map((p) => p.keys.nationalDigits);
          expect(digits.some((d) => known.has(d))).toBe(false);
          expect(new Set(digits).size).toBe(digits.length);
          // Every new number is added once, the first time the input carries it.
          const firsts = phones.filter(
            (p, i) =>
              !known.has(p.keys.nationalDigits) &&
              phones.findIndex((q) => q.keys.nationalDigits === p.keys.nationalDigits) === i,
          );
          expect(added).toEqual(firsts);
        },
      ),
    );
  });
});
