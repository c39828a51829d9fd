import { describe, expect, it } from 'vitest';
import { mapColumns } from './columns';
import { rowToCustomerInput } from './row';

const defs = [{ key: 'rank', label: '会員ランク', type: 'SELECT' as const, options: ['ゴールド'], required: false }];

describe('mapColumns', () => {
  it('maps Japanese and English headers, custom fields by label or key, and reports the rest', () => {
    const r = mapColumns(['顧客ID', '氏名', 'ﾌﾘｶﾞﾅ', '携帯', 'ＴＥＬ', '会員ランク', 'custom:rank', '好きな色'], defs);
    expect(r.columns).toEqual([
      { field: 'externalId' },
      { field: 'name' },
      { field: 'nameKana' },
      { field: 'phone', type: 'MOBILE' },
      { field: 'phone', type: 'OTHER' },
      { field: 'customField', key: 'rank' },
      { field: 'customField', key: 'rank' },
      null,
    ]);
    expect(r.unmapped).toEqual(['好きな色']);
    expect(r.problems).toEqual([]);
  });

  it('lets an explicit mapping win or skip a column, and needs a name column', () => {
    const r = mapColumns(['お客様', 'x'], defs, { お客様: 'name', x: '' });
    expect(r.columns).toEqual([{ field: 'name' }, null]);
    expect(r.unmapped).toEqual([]);
    expect(mapColumns(['電話'], defs).problems).toEqual([
      { ja: '顧客名（氏名）の列がありません。', en: 'No column holds the customer name (氏名).' },
    ]);
  });

  it('treats headers named like Object.prototype members as ordinary unknown columns', () => {
    const hostile = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
    const r = mapColumns(['氏名', ...hostile], defs);
    expect(r.columns).toEqual([{ field: 'name' }, ...hostile.map(() => null)]);
    expect(r.unmapped).toEqual(hostile);
    expect(r.problems).toEqual([]);
    // The same names as keys of an explicit mapping (parsed from JSON) map like any other header.
    const explicit = JSON.parse('{"__proto__": "name", "constructor": "", "toString": "メモ"}');
    const m = mapColumns(['__proto__', 'constructor', 'toString', 'hasOwnProperty'], defs, explicit);
    expect(m.columns).toEqual([{ field: 'name' }, null, { field: 'notes' }, null]);
    expect(m.unmapped).toEqual(['hasOwnProperty']);
    expect(rowToCustomerInput(['山田', 'x', 'メモ', 'y'], m.columns)).toEqual({ name: '山田', notes: 'メモ' });
  });
});

describe('rowToCustomerInput', () => {
  it('builds the input and leaves empty cells out', () => {
    const { columns } = mapColumns(
      ['氏名', '携帯', '電話番号', 'タグ', '郵便番号', '都道府県', '会員ランク', 'メモ'],
      defs,
    );
    expect(
      rowToCustomerInput(['山田 太郎', '090-1111-2222', '', 'VIP;常連', '1500001', '東京都', 'ゴールド', ''], columns),
    ).toEqual({
      name: '山田 太郎',
      phones: [{ number: '090-1111-2222', type: 'MOBILE' }],
      tags: ['VIP', '常連'],
      address: { postalCode: '1500001', prefecture: '東京都' },
      customFields: [{ key: 'rank', value: 'ゴールド' }],
    });
  });
});
