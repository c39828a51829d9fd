import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { phoneKeys } from './phone-keys';

describe('phoneKeys', () => {
  it('gives one national-digits key for every way of writing a number', () => {
    const forms = [
      '03-1234-5678',
      '0312345678',
      '+81 3 1234 5678',
      '(03)1234-5678',
      '０３－１２３４－５６７８',
      ' 03 1234 5678 ',
    ];
    for (const f of forms) expect(phoneKeys(f).nationalDigits).toBe('312345678');
    expect(phoneKeys('090-1111-2222')).toEqual({
      e164: '+819011112222',
      nationalDigits: '9011112222',
      display: '090-1111-2222',
    });
  });

  it('has no keys for a withheld caller', () => {
    expect(phoneKeys('P')).toEqual({ e164: null, nationalDigits: null, display: null });
  });

  it('property: hyphens, spaces and full-width digits never change the keys of a mobile number', () => {
    const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    fc.assert(
      fc.property(fc.constantFrom('70', '80', '90'), fc.stringMatching(/^[1-9]\d{7}$/), (prefix, rest) => {
        const plain = `0${prefix}${rest}`;
        const hyphenated = `0${prefix}-${rest.slice(0, 4)}-${rest.slice(4)}`;
        const keys = phoneKeys(plain);
        expect(phoneKeys(hyphenated)).toEqual(keys);
        expect(phoneKeys(fullWidth(hyphenated)).nationalDigits).toBe(keys.nationalDigits);
        expect(keys.nationalDigits).toBe(`${prefix}${rest}`);
      }),
    );
  });
});
