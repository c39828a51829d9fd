import type { Address } from './customer';

export const prefectures = [
  '北海道',
  '青森県',
  '岩手県',
  '宮城県',
  '秋田県',
  '山形県',
  '福島県',
  '茨城県',
  '栃木県',
  '群馬県',
  '埼玉県',
  '千葉県',
  '東京都',
  '神奈川県',
  '新潟県',
  '富山県',
  '石川県',
  '福井県',
  '山梨県',
  '長野県',
  '岐阜県',
  '静岡県',
  '愛知県',
  '三重県',
  '滋賀県',
  '京都府',
  '大阪府',
  '兵庫県',
  '奈良県',
  '和歌山県',
  '鳥取県',
  '島根県',
  '岡山県',
  '広島県',
  '山口県',
  '徳島県',
  '香川県',
  '愛媛県',
  '高知県',
  '福岡県',
  '佐賀県',
  '長崎県',
  '熊本県',
  '大分県',
  '宮崎県',
  '鹿児島県',
  '沖縄県',
] as const;

/** A problem in Japanese (what the user reads) and English (`messageEn` for integrators). */
export type AddressResult = { address: Address | null } | { problem: { ja: string; en: string } };

/** Folded (NFKC) only where we match: postal code and prefecture. The rest keeps what was typed (㈱ stays ㈱). */
const blankToNull = (s: string | null | undefined, fold = false): string | null => {
  const t = (fold ? s?.normalize('NFKC') : s)?.trim() ?? '';
  return t === '' ? null : t;
};

/**
 * A Japanese address: 〒 as NNN-NNNN (full-width digits, a missing hyphen and a leading 〒 are
 * accepted), one of the 47 prefectures (the suffix 都/道/府/県 may be left off, as people type
 * "東京" or "大阪"), then city, street and building as given.
 */
export function normalizeAddress(input: Partial<Address> | null | undefined): AddressResult {
  if (!input) return { address: null };
  let postalCode = blankToNull(input.postalCode, true);
  if (postalCode !== null) {
    const digits = postalCode.replace(/^〒/, '').replace(/[-ー−‐\s]/g, '');
    if (!/^\d{7}$/.test(digits))
      return {
        problem: {
          ja: `郵便番号「${input.postalCode}」は7桁の数字で入力してください（例: 〒123-4567）。`,
          en: `Postal code "${input.postalCode}" must have 7 digits (〒123-4567).`,
        },
      };
    postalCode = `${digits.slice(0, 3)}-${digits.slice(3)}`;
  }
  let prefecture = blankToNull(input.prefecture, true);
  if (prefecture !== null) {
    const p = prefecture;
    const found = prefectures.find((name) => name === p || (p !== '北海' && name.replace(/[都道府県]$/, '') === p));
    if (!found)
      return {
        problem: {
          ja: `「${input.prefecture}」は都道府県名ではありません。`,
          en: `"${input.prefecture}" is not a Japanese prefecture.`,
        },
      };
    prefecture = found;
  }
  const address: Address = {
    postalCode,
    prefecture,
    city: blankToNull(input.city),
    street: blankToNull(input.street),
    building: blankToNull(input.building),
  };
  return { address: Object.values(address).some((v) => v !== null) ? address : null };
}
