import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toKatakana, withoutSpaces } from './kana';

describe('toKatakana', () => {
  it('folds hiragana and half-width katakana into full-width katakana', () => {
    expect(toKatakana('やまだ たろう')).toBe('ヤマダ タロウ');
    expect(toKatakana('ﾔﾏﾀﾞ ﾀﾛｳ')).toBe('ヤマダ タロウ');
    expect(toKatakana('ヤマダ')).toBe('ヤマダ');
  });

  it('property: is idempotent and leaves non-hiragana text alone', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(toKatakana(toKatakana(s))).toBe(toKatakana(s));
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9山田太郎ア-ン]*$/), (s) => {
        expect(toKatakana(s)).toBe(s.normalize('NFKC'));
      }),
    );
  });
});

describe('withoutSpaces', () => {
  it('drops half- and full-width spaces', () => {
    expect(withoutSpaces('山田　太郎 様')).toBe('山田太郎様');
  });
});
