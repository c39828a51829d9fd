import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeAddress, prefectures } from './address';

describe('normalizeAddress', () => {
  it('normalises 〒 and prefecture', () => {
    expect(
      normalizeAddress({
        postalCode: '〒１５００００１',
        prefecture: '東京',
        city: '渋谷区',
        street: '神宮前1-2-3',
        building: ' ',
      }),
    ).toEqual({
      address: { postalCode: '150-0001', prefecture: '東京都', city: '渋谷区', street: '神宮前1-2-3', building: null },
    });
    expect(normalizeAddress({ prefecture: '北海道' })).toEqual({
      address: { postalCode: null, prefecture: '北海道', city: null, street: null, building: null },
    });
  });

  it('rejects a bad postal code or prefecture with a message', () => {
    expect(normalizeAddress({ postalCode: '123-45' })).toHaveProperty('problem');
    expect(normalizeAddress({ prefecture: 'カリフォルニア' })).toHaveProperty('problem');
  });

  it('gives no address when every part is blank', () => {
    expect(normalizeAddress({ city: '' })).toEqual({ address: null });
  });

  it('property: any 7 digits, hyphenated or not, give NNN-NNNN', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{7}$/), fc.boolean(), fc.constantFrom(...prefectures), (d, hyphen, pref) => {
        const r = normalizeAddress({ postalCode: hyphen ? `${d.slice(0, 3)}-${d.slice(3)}` : d, prefecture: pref });
        expect(r).toEqual({
          address: expect.objectContaining({ postalCode: `${d.slice(0, 3)}-${d.slice(3)}`, prefecture: pref }),
        });
      }),
    );
  });
});
