import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Customer, CustomerPhone } from '../customers/customer';
import { mapColumns } from './columns';
import { encodeCsv, exportHeader, exportLine } from './csv-export';
import { type CsvEncoding, csvRecords, slices } from './csv-stream';
import { rowToCustomerInput } from './row';

const definitions = [
  { key: 'rank', label: '会員ランク', type: 'SELECT' as const, options: ['ゴールド'], required: false },
  { key: 'hobby', label: '趣味', type: 'MULTI_SELECT' as const, options: ['釣り', '囲碁'], required: false },
];

const base: Customer = {
  id: 'c1',
  tenantId: 't1',
  externalId: 'C-1',
  name: '山田 太郎',
  nameKana: 'ヤマダ タロウ',
  company: '㈱山田商店',
  department: null,
  emails: ['taro@example.jp', 'yamada@example.jp'],
  address: { postalCode: '1500001', prefecture: '東京都', city: '渋谷区', street: '神宮前1-2-3', building: null },
  tags: ['VIP', '常連'],
  notes: '=SUM(A1)',
  ownerId: null,
  customFields: { rank: 'ゴールド', hobby: ['釣り', '囲碁'] },
  createdBy: null,
  updatedBy: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const phone = (raw: string, display: string | null): CustomerPhone => ({
  id: raw,
  customerId: 'c1',
  raw,
  e164: null,
  display,
  type: 'OTHER',
  label: null,
});

const readBack = async (file: Buffer, encoding: CsvEncoding) => {
  const lines: string[][] = [];
  for await (const r of csvRecords(slices(file), encoding)) lines.push(r.cells);
  return lines;
};

describe('the export', () => {
  it('writes the standard headers in their order, then the custom fields by label', () => {
    expect(exportHeader(definitions)).toEqual([
      '顧客ID',
      '氏名',
      'フリガナ',
      '会社名',
      '部署',
      '電話番号',
      'メール',
      '郵便番号',
      '都道府県',
      '市区町村',
      '番地',
      '建物名',
      'タグ',
      'メモ',
      '会員ランク',
      '趣味',
    ]);
  });

  it('writes one line per customer: lists joined with ;, numbers as displayed, empty cells for nothing', () => {
    expect(exportLine(base, [phone('0312345678', '03-1234-5678'), phone('+1 555', null)], definitions)).toEqual([
      'C-1',
      '山田 太郎',
      'ヤマダ タロウ',
      '㈱山田商店',
      '',
      '03-1234-5678;+1 555',
      'taro@example.jp;yamada@example.jp',
      '1500001',
      '東京都',
      '渋谷区',
      '神宮前1-2-3',
      '',
      'VIP;常連',
      '=SUM(A1)',
      'ゴールド',
      '釣り;囲碁',
    ]);
  });

  it('escapes formula cells and marks UTF-8 with a BOM, Shift_JIS without', () => {
    const utf8 = encodeCsv(
      [
        ['氏名', 'メモ'],
        ['山田', '=1+1'],
      ],
      'UTF8',
    );
    expect(utf8.toString('utf8')).toBe('\uFEFF氏名,メモ\r\n山田,"\'=1+1"\r\n');
    expect(encodeCsv([['㈱']], 'SHIFT_JIS')).toEqual(Buffer.from([0x87, 0x8a, 0x0d, 0x0a]));
  });

  it('property: an exported file imports back as the same customer, in either encoding', async () => {
    const text = fc.stringMatching(/^[=+@a-zA-Z0-9山田太郎㈱ｱ"-][a-zA-Z0-9山田太郎㈱ｱ" =+-]{0,10}[a-zA-Z0-9山田ｱ"]$/);
    await fc.assert(
      fc.asyncProperty(
        fc.record({ externalId: text, name: text, company: text, notes: text, tags: fc.array(text, { maxLength: 3 }) }),
        fc.constantFrom<CsvEncoding>('UTF8', 'SHIFT_JIS'),
        async (fields, encoding) => {
          const c: Customer = {
            ...base,
            ...fields,
            nameKana: null,
            department: null,
            address: null,
            emails: [],
            customFields: {},
          };
          const file = encodeCsv(
            [exportHeader(definitions), exportLine(c, [phone('0312345678', '03-1234-5678')], definitions)],
            encoding,
          );
          const [header, line] = (await readBack(file, encoding)) as [string[], string[]];
          const { columns, problems } = mapColumns(header, definitions);
          expect(problems).toEqual([]);
          expect(rowToCustomerInput(line, columns)).toEqual({
            externalId: fields.externalId,
            name: fields.name,
            company: fields.company,
            notes: fields.notes,
            phones: [{ number: '03-1234-5678', type: 'OTHER' }],
            ...(fields.tags.length > 0 ? { tags: fields.tags } : {}),
          });
        },
      ),
      { numRuns: 80 },
    );
  });
});
