import { Readable } from 'node:stream';
import { DomainError } from '@thankstar/platform';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { type CsvEncoding, type CsvRecord, csvRecords, slices } from './csv-stream';

const read = async (input: Readable, encoding: CsvEncoding = 'UTF8') => {
  let bytes = 0;
  const records: CsvRecord[] = [];
  for await (const r of csvRecords(input, encoding, (n) => {
    bytes += n;
  }))
    records.push(r);
  return { records, bytes };
};

const codeOf = async (input: Readable, encoding: CsvEncoding = 'UTF8') =>
  read(input, encoding).then(
    () => null,
    (err: unknown) => (err instanceof DomainError ? err.code : String(err)),
  );

describe('csvRecords', () => {
  it('reads the header as line 1 and the data rows after it, skipping empty lines, our formula escapes undone', async () => {
    const file = Buffer.from('\uFEFF氏名,電話番号\r\n山田 太郎,"\'+81312345678"\r\n\r\n"佐藤\n花子",\'=1+1\r\n');
    const { records, bytes } = await read(slices(file));
    expect(records).toEqual([
      { line: 1, cells: ['氏名', '電話番号'] },
      { line: 2, cells: ['山田 太郎', '+81312345678'] },
      { line: 3, cells: ['佐藤\n花子', '=1+1'] },
    ]);
    expect(bytes).toBe(file.length);
  });

  it('reads Shift_JIS as Windows-31J (①, ㈱)', async () => {
    const { records } = await read(slices(iconv.encode('氏名,会社名\r\n山田①,㈱山田商店\r\n', 'cp932')), 'SHIFT_JIS');
    expect(records[1]?.cells).toEqual(['山田①', '㈱山田商店']);
  });

  it('refuses the wrong encoding, an unreadable file and a file without a header with their codes', async () => {
    expect(await codeOf(slices(iconv.encode('氏名\r\n山田太郎\r\n', 'cp932')), 'UTF8')).toBe('CSV_ENCODING');
    expect(await codeOf(slices(Buffer.from('氏名\r\n東京都千代田区の山田太郎\r\n')), 'SHIFT_JIS')).toBe('CSV_ENCODING');
    expect(await codeOf(slices(Buffer.from('氏名\n"unterminated')))).toBe('CSV_UNREADABLE');
    const why = await read(slices(Buffer.from('氏名\n"unterminated')), 'UTF8').catch((err: DomainError) => err);
    expect((why as DomainError).message).toMatch(/^CSVとして読み取れません：.*引用符/);
    expect((why as DomainError).messageEn).toMatch(/quote/i);
    expect(await codeOf(slices(Buffer.alloc(0)))).toBe('CSV_EMPTY');
    expect(await codeOf(slices(Buffer.from('\r\n\r\n')))).toBe('CSV_EMPTY');
  });

  it('property: however the bytes arrive, the same records come out and every byte is counted once', async () => {
    const cell = fc.stringMatching(/^[a-z山田太郎ｱ0-9 ",=+\n-]{0,8}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
        async (rows, cuts) => {
          const quote = (c: string) => `"${c.replace(/"/g, '""')}"`;
          const file = Buffer.from(['h1,h2', ...rows.map((r) => r.map(quote).join(','))].join('\r\n'));
          const pieces: Buffer[] = [];
          for (let at = 0, i = 0; at < file.length; i++) {
            const size = cuts[i % cuts.length] as number;
            pieces.push(file.subarray(at, at + size));
            at += size;
          }
          const whole = await read(slices(file));
          const cut = await read(Readable.from(pieces));
          expect(cut).toEqual(whole);
          expect(whole.bytes).toBe(file.length);
          expect(whole.records.map((r) => r.cells)).toEqual([['h1', 'h2'], ...rows.map((r) => r.map((c) => c))]);
          expect(whole.records.map((r) => r.line)).toEqual(whole.records.map((_, i) => i + 1));
        },
      ),
      { numRuns: 60 },
    );
  });
});
