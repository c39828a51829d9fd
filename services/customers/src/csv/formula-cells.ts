/**
 * Spreadsheet formula injection (OWASP "CSV Injection"): Excel and LibreOffice treat a cell that
 * starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula, so a customer name such
 * as `=HYPERLINK(...)` typed by a caller's operator would run in the admin's Excel when the export
 * is opened. Every such cell is exported with a single quote in front (and quoted by the writer).
 *
 * Phone numbers are no exception: `+81312345678` starts with `+`, which Excel also reads as a
 * formula (it would show 81312345678, a number, and drop the `+`), so the quote keeps it as text
 * too. Our own import removes exactly that one quote again, so export → import is lossless.
 *
 * A cell that already starts with quotes and then such a character (`'=x`) gets one more quote, so
 * that unescaping exactly one quote gives back any cell: the round trip is lossless for every string.
 */
const NEEDS_QUOTE = /^'*[=+\-@\t\r]/;

/** The cell as it is safe to write into a CSV opened by a spreadsheet. */
export function escapeFormulaCell(cell: string): string {
  return NEEDS_QUOTE.test(cell) ? `'${cell}` : cell;
}

/** Undoes escapeFormulaCell: one quote in front of (quotes and) a formula character is our escape. */
export function unescapeFormulaCell(cell: string): string {
  return cell.startsWith("'") && NEEDS_QUOTE.test(cell) ? cell.slice(1) : cell;
}

/** The writer quotes escaped cells as OWASP advises, and cells with line breaks as CSV needs. */
export const QUOTED_CELL = /^'+[=+\-@\t\r]|[\r\n]/;
