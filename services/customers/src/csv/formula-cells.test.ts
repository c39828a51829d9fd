import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeFormulaCell, QUOTED_CELL, unescapeFormulaCell } from './formula-cells';

const formulaStart = ['=', '+', '-', '@', '\t', '\r'];

describe('formula cells (OWASP CSV injection)', () => {
  it('prefixes a quote to every cell starting with = + - @ tab CR, phone numbers included', () => {
    expect(escapeFormulaCell('=HYPERLINK("http://evil","x")')).toBe(`'=HYPERLINK("http://evil","x")`);
    expect(escapeFormulaCell('+81312345678')).toBe("'+81312345678");
    expect(escapeFormulaCell('-5')).toBe("'-5");
    expect(escapeFormulaCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(escapeFormulaCell('\t=1')).toBe("'\t=1");
    expect(escapeFormulaCell('\r=1')).toBe("'\r=1");
    expect(escapeFormulaCell("'=1")).toBe("''=1");
    for (const plain of ['山田 太郎', '090-1111-2222', "'quoted", '', 'a=b'])
      expect(escapeFormulaCell(plain)).toBe(plain);
  });

  it('no escaped cell starts with a formula character, and unescaping gives back any string', () => {
    const cell = fc.oneof(
      fc.string(),
      fc.tuple(fc.constantFrom(...formulaStart, "'", "''"), fc.string()).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(cell, (c) => {
        const escaped = escapeFormulaCell(c);
        expect(formulaStart).not.toContain(escaped[0]);
        expect(unescapeFormulaCell(escaped)).toBe(c);
      }),
    );
  });

  it('quotes escaped cells in the written CSV and reads them back unchanged', () => {
    const rows = [['=1+1', '+81312345678', 'plain', '-', '@x', 'line\nbreak']];
    const csv = stringify(
      rows.map((r) => r.map(escapeFormulaCell)),
      { record_delimiter: '\r\n', quoted_match: QUOTED_CELL },
    );
    expect(csv).toBe(`"'=1+1","'+81312345678",plain,"'-","'@x","line\nbreak"\r\n`);
    const back = (parse(csv) as string[][]).map((r) => r.map(unescapeFormulaCell));
    expect(back).toEqual(rows);
  });
});
