import { describe, expect, it } from 'vitest';
import { addressOfPostalCode, postalCodeDigits } from './postalCode';

describe('postal code to address', () => {
  it('reads the code however it is written', () => {
    expect(postalCodeDigits('100-0001')).toBe('1000001');
    expect(postalCodeDigits('〒１００－０００１')).toBe('1000001');
    expect(postalCodeDigits('1000001')).toBe('1000001');
    expect(postalCodeDigits('100-001')).toBeNull();
    expect(postalCodeDigits('abc')).toBeNull();
    expect(postalCodeDigits(null)).toBeNull();
  });

  it('fills 都道府県, 市区町村 and 町域 from the data shipped with the UI', async () => {
    expect(await addressOfPostalCode('100-0001')).toEqual({ prefecture: '東京都', city: '千代田区', town: '千代田' });
    expect(await addressOfPostalCode('530-0001')).toEqual({ prefecture: '大阪府', city: '大阪市北区', town: '梅田' });
  });

  it('gives nothing for a code that is not one', async () => {
    expect(await addressOfPostalCode('12')).toBeNull();
    expect(await addressOfPostalCode('0000000')).toBeNull();
  });
});
