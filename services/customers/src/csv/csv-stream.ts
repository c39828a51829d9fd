import { PassThrough, pipeline, Readable, Transform } from 'node:stream';
import { DomainError } from '@thankstar/platform';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { refuseUtf8 } from './encoding-sniff';
import { unescapeFormulaCell } from './formula-cells';

/*
 * Bytes → rows: the CSV file as a stream of records, whatever its size, with the checks that need
 * only the bytes (the declared encoding, the row limit, a readable CSV, a header). Nothing here
 * knows customers or the database.
 */

export type CsvEncoding = 'UTF8' | 'SHIFT_JIS';

/** Data rows per import (the header not counted). */
export const MAX_ROWS = 1_000_000;

/** Excel and FileMaker in Japan write "Shift_JIS" that is really Windows-31J (①, ㈱, NEC/IBM extensions). */
export const charset = (e: CsvEncoding) => (e === 'SHIFT_JIS' ? 'cp932' : 'utf8');

/** One record of the file: `line` 1 is the header, the first data row is 2 (empty lines are skipped). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/** The file in 64 KB slices, so a base64 upload reports progress like a streamed one. */
export function slices(file: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < file.length; i += 65_536) yield file.subarray(i, i + 65_536);
    })(),
  );
}

/**
 * A failure while reading rows, as the client sees it: our own errors as they are, anything else
 * CSV_UNREADABLE — in Japanese with the line when the parser names one; the parser's English kept
 * for integrators (messageEn).
 */
export function unreadable(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  const en = err instanceof Error ? err.message : String(err);
  const line = /line (\d+)/i.exec(en)?.[1];
  const ja = /quote/i.test(en)
    ? `${line ? `${line}行目付近で` : ''}引用符（"）が閉じられていないか、位置が正しくありません。`
    : `${line ? `${line}行目付近の` : ''}区切りや列の数が正しくありません。`;
  return new DomainError('CSV_UNREADABLE', { reason: { ja, en } });
}

const notUtf8 = () =>
  new DomainError('CSV_ENCODING', {
    reason: {
      ja: 'ファイルが UTF-8 として読めません。Shift_JIS（Excel）で保存されている場合は、文字コードに SHIFT_JIS を選んでもう一度お試しください。',
      en: 'The file is not valid UTF-8. Is it Shift_JIS (Excel)? Choose SHIFT_JIS and retry.',
    },
  });

const utf8DeclaredShiftJis = () =>
  new DomainError('CSV_ENCODING', {
    reason: {
      ja: 'ファイルは UTF-8 で保存されていますが、文字コードに Shift_JIS が指定されています。文字コードを UTF-8 にして、もう一度お試しください。',
      en: 'The file is saved as UTF-8 but Shift_JIS was chosen; choose UTF-8 and retry.',
    },
  });

/**
 * The records of a CSV file, the header first, each cell read back as our export wrote it
 * (`'=…`, `'+81…`: see formula-cells.ts). `onBytes` sees every byte as it is read. Fails with
 * CSV_ENCODING (not UTF-8 when UTF8 was declared; UTF-8 when SHIFT_JIS was, before any non-ASCII
 * byte reaches the parser: see encoding-sniff.ts), CSV_TOO_LARGE past MAX_ROWS data rows,
 * CSV_UNREADABLE when the parser gives up (line N), CSV_EMPTY without a header.
 */
export async function* csvRecords(
  input: Readable,
  encoding: CsvEncoding,
  onBytes: (n: number) => void = () => undefined,
): AsyncGenerator<CsvRecord> {
  const utf8 = encoding === 'UTF8';
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
  const utf8Check = new Transform({
    decodeStrings: false,
    transform(text: string, _enc, done) {
      if (utf8 && text.includes('\uFFFD')) done(notUtf8());
      else done(null, text);
    },
  });
  // A UTF-8 file declared Shift_JIS decodes without an error, as mojibake: refused before any
  // non-ASCII byte reaches the parser, so nothing is counted or written.
  const sjisCheck = utf8 ? new PassThrough() : refuseUtf8(utf8DeclaredShiftJis);
  // pipeline() destroys every stage with the first error; the loop below then throws it.
  const parser = pipeline(
    input,
    counter,
    sjisCheck,
    iconv.decodeStream(charset(encoding)) as unknown as Transform,
    utf8Check,
    parse({ relax_column_count: true, skip_empty_lines: true, bom: true }),
    () => undefined,
  );
  let line = 0;
  try {
    for await (const parsed of parser as AsyncIterable<string[]>) {
      line++;
      if (line - 2 >= MAX_ROWS)
        throw new DomainError('CSV_TOO_LARGE', {
          reason: { ja: `1回の取込は最大${MAX_ROWS}行です。`, en: `At most ${MAX_ROWS} rows per import.` },
        });
      yield { line, cells: parsed.map(unescapeFormulaCell) };
    }
  } catch (err) {
    throw unreadable(err);
  }
  if (line === 0)
    throw new DomainError('CSV_EMPTY', {
      reason: { ja: 'ファイルに見出し行がありません。', en: 'The file has no header row.' },
    });
}
