/**
 * Kana readings are stored and searched in full-width katakana, so "やまだ", "ﾔﾏﾀﾞ" and "ヤマダ"
 * find the same customer. NFKC turns half-width katakana into full-width; hiragana is shifted
 * into the katakana block (they are parallel, 0x60 apart).
 */
export function toKatakana(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\u3041-\u3096\u309d\u309e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60));
}

/** Name search ignores spaces (half- and full-width): "山田太郎" finds "山田 太郎". */
export function withoutSpaces(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}
