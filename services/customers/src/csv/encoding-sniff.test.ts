import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { encodingEvidence, refuseUtf8, SNIFF_BYTES } from './encoding-sniff';

// At least 8 characters: a Shift_JIS text of a handful of characters can be valid UTF-8 by chance
// (`ﾃ区京` is C3 8B E6 8B 9E: `Ë` and a 3-byte character), so the sniffer can only be right about
// real files, whose first kilobyte holds far more (no false positive in 200,000 random texts of 5
// or more characters of this alphabet; 1 in 200,000 from 1 character up). The short case is below.
const japanese = fc.string({
  unit: fc.constantFrom(
    ...'山田太郎佐藤花子顧客氏名電話番号メモ備考ヤマダタロウｱｲｳｴｵﾃｽﾄ①㈱〒東京都渋谷区神宮前ー、。'.split(''),
  ),
  minLength: 8,
  maxLength: 200,
});
const csvText = fc
  .tuple(fc.string({ unit: fc.constantFrom(...'abc,0123\r\n'.split('')) }), japanese, fc.string())
  .map(([a, b, c]) => `${a}${b}${c}`);

async function through(bytes: Buffer, chunkSize: number): Promise<Buffer> {
  const out: Buffer[] = [];
  const chunks = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  await pipeline(
    Readable.from(chunks),
    refuseUtf8(() => new Error('CSV_ENCODING')),
    async (source) => {
      for await (const c of source) out.push(c as Buffer);
    },
  );
  return Buffer.concat(out);
}

describe('encodingEvidence', () => {
  it('tells ASCII, UTF-8 and Shift_JIS apart, and does not hold a cut sequence against UTF-8', () => {
    expect(encodingEvidence(Buffer.from('name,phone\r\nx,1'), true)).toBe('ASCII');
    expect(encodingEvidence(Buffer.from('氏名,電話\r\n山田,1'), true)).toBe('UTF8');
    expect(encodingEvidence(iconv.encode('氏名,電話\r\n山田,1', 'cp932'), true)).toBe('NOT_UTF8');
    const cut = Buffer.from('ab山', 'utf8').subarray(0, 4); // 'a' 'b' and the first 2 of 山's 3 bytes
    expect(encodingEvidence(cut, false)).toBe('ASCII');
    expect(encodingEvidence(cut, true)).toBe('NOT_UTF8');
    expect(encodingEvidence(Buffer.from('\uFEFF氏名', 'utf8'), true)).toBe('UTF8');
    // Shift_JIS `ﾃ山` (C3 8E 52) is valid UTF-8 (`ÎR`), but with no 3-byte character it is not taken for UTF-8.
    expect(encodingEvidence(iconv.encode('ﾃ山', 'cp932'), true)).toBe('NOT_UTF8');
    // The limit of sniffing: three characters of Shift_JIS that happen to be UTF-8 with a 3-byte
    // character are taken for UTF-8 (a file this short would be refused; said in docs/security.md).
    expect(encodingEvidence(iconv.encode('ﾃ区京', 'cp932'), true)).toBe('UTF8');
  });

  it('any Japanese text: its UTF-8 bytes are UTF-8, its Windows-31J bytes are not', () => {
    fc.assert(
      fc.property(csvText, (text) => {
        expect(encodingEvidence(Buffer.from(text, 'utf8'), true)).toBe('UTF8');
        expect(encodingEvidence(iconv.encode(text, 'cp932'), true)).toBe('NOT_UTF8');
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('refuseUtf8 (a stage for uploads declared Shift_JIS)', () => {
  it('passes Shift_JIS and ASCII through byte for byte, however the upload is cut', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.integer({ min: 1, max: 700 }), async (text, chunkSize) => {
        const sjis = iconv.encode(text, 'cp932');
        expect((await through(sjis, chunkSize)).equals(sjis)).toBe(true);
      }),
      { numRuns: 300 },
    );
    const ascii = Buffer.from('a,b\r\n'.repeat(10_000));
    expect((await through(ascii, 1000)).equals(ascii)).toBe(true);
  });

  it('refuses UTF-8, also when the first non-ASCII byte comes late or the file is short', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.integer({ min: 1, max: 700 }), async (text, chunkSize) => {
        await expect(through(Buffer.from(text, 'utf8'), chunkSize)).rejects.toThrow('CSV_ENCODING');
      }),
      { numRuns: 300 },
    );
    const late = Buffer.concat([Buffer.from('a,b\r\n'.repeat(5_000)), Buffer.from('山田,1\r\n'.repeat(SNIFF_BYTES))]);
    await expect(through(late, 65_536)).rejects.toThrow('CSV_ENCODING');
  });
});
