import { existsSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { InvoiceLine } from './invoice';
import { japaneseDate, localDate, type PaymentSettings, paymentDueDate } from './payment-terms';
import type { TaxSummary } from './tax';

/**
 * IPAex Gothic ships with the service (assets/fonts/, IPA Font License v1.0 beside it), so a PDF
 * renders wherever the app runs: from src/invoicing/ under tests and from dist/src/invoicing/ when
 * built (the Docker image copies assets/ next to dist/).
 */
export const BUNDLED_PDF_FONT =
  [join(__dirname, '../../assets/fonts/ipaexg.ttf'), join(__dirname, '../../../assets/fonts/ipaexg.ttf')].find((p) =>
    existsSync(p),
  ) ?? join(__dirname, '../../assets/fonts/ipaexg.ttf');

export class PdfFontMissingError extends Error {
  readonly code = 'PDF_FONT_MISSING';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export interface PrintableInvoice {
  kind: 'invoice' | 'credit-note';
  number: string | null;
  status: string;
  issuedAt: Date | null;
  issuerName: string;
  issuerRegistrationNumber: string;
  recipientName: string;
  periodStart: string;
  periodEnd: string;
  lines: InvoiceLine[];
  taxes: TaxSummary[];
  subtotalYen: number;
  taxYen: number;
  totalYen: number;
  reason: string | null;
  /**
   * 支払期限 and 振込先: an issued invoice's own (the settings it was issued with), a draft's the
   * settings in force now. Absent on credit notes (nothing to pay) and on renders without them.
   */
  payment?: PaymentSettings | null;
}

const termsText = (p: PaymentSettings) =>
  p.paymentTerms === 'end-of-next-month' ? '翌月末' : `発行日から${p.paymentTermDays}日`;

const yen = (n: number) => `${new Intl.NumberFormat('ja-JP').format(n)}円`;

/**
 * The font must embed Japanese glyphs; without one the PDF would print tofu, so refuse. `configured`
 * is BILLING_PDF_FONT (an optional override); otherwise the bundled IPAex Gothic.
 */
export function pdfFontPath(configured?: string): string {
  const path = configured ?? BUNDLED_PDF_FONT;
  if (!existsSync(path)) {
    throw new PdfFontMissingError(
      `The Japanese font for invoice PDFs is missing at ${path}. Set BILLING_PDF_FONT to a .ttf/.otf with Japanese glyphs, or unset it to use the bundled IPAex Gothic (assets/fonts/).`,
      path,
    );
  }
  return path;
}

/** A qualified invoice (適格請求書) or credit note (適格返還請求書) as an A4 PDF. */
export function renderInvoicePdf(invoice: PrintableInvoice, fontPath: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: invoice.number ?? 'draft' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('jp', fontPath);
  doc.font('jp');

  const title = invoice.kind === 'credit-note' ? '適格返還請求書 (クレジットノート)' : '適格請求書';
  doc.fontSize(20).text(invoice.status === 'draft' ? `${title} [下書き]` : title, { align: 'center' });
  doc.moveDown();
  doc.fontSize(12).text(`${invoice.recipientName} 御中`);
  doc.moveDown(0.5);
  doc.fontSize(10);
  doc.text(`請求書番号: ${invoice.number ?? '(未発行)'}`);
  // 発行日 and 支払期限 are Japan dates (payment-terms.ts), never the UTC date of the instant.
  const issueDate = invoice.issuedAt ? localDate(invoice.issuedAt) : null;
  doc.text(`発行日: ${issueDate ? japaneseDate(issueDate) : '(未発行)'}`);
  doc.text(`取引期間: ${invoice.periodStart} 〜 ${invoice.periodEnd}`);
  if (invoice.kind === 'invoice' && invoice.payment) {
    doc.text(
      `支払期限: ${issueDate ? japaneseDate(paymentDueDate(issueDate, invoice.payment)) : `(発行日から決まります: ${termsText(invoice.payment)})`}`,
    );
  }
  if (invoice.reason) doc.text(`摘要: ${invoice.reason}`);
  doc.moveDown(0.5);
  doc.text(`発行者: ${invoice.issuerName}`);
  doc.text(`登録番号: ${invoice.issuerRegistrationNumber}`);
  doc.moveDown();
  doc.fontSize(14).text(`ご請求金額 (税込): ${yen(invoice.totalYen)}`);
  doc.moveDown();

  doc.fontSize(9);
  const cols = [50, 300, 360, 450];
  const row = (cells: string[]) => {
    const y = doc.y;
    doc.text(cells[0] ?? '', cols[0], y, { width: 245 });
    const endY = doc.y;
    doc.text(cells[1] ?? '', cols[1], y, { width: 55, align: 'right' });
    doc.text(cells[2] ?? '', cols[2], y, { width: 85, align: 'right' });
    doc.text(cells[3] ?? '', cols[3], y, { width: 95, align: 'right' });
    doc.x = 50;
    doc.y = Math.max(endY, doc.y) + 4;
  };
  row(['品目', '数量', '単価', '金額 (税抜)']);
  for (const line of invoice.lines) {
    row([line.description, String(line.quantity), yen(line.unitPriceYen), yen(line.amountYen)]);
  }
  doc.moveDown();
  doc.fontSize(10);
  for (const t of invoice.taxes) {
    doc.text(`${t.taxRatePercent}%対象 ${yen(t.subtotalYen)}  消費税 (${t.taxRatePercent}%) ${yen(t.taxYen)}`, {
      align: 'right',
    });
  }
  doc.text(`小計 (税抜) ${yen(invoice.subtotalYen)}`, { align: 'right' });
  doc.text(`消費税合計 ${yen(invoice.taxYen)}`, { align: 'right' });
  doc.fontSize(12).text(`合計 (税込) ${yen(invoice.totalYen)}`, { align: 'right' });
  if (invoice.kind === 'invoice' && invoice.payment) {
    doc.moveDown();
    doc.fontSize(10).text('お振込先', 50, doc.y, { align: 'left' });
    for (const line of invoice.payment.bankAccount.split(/\r?\n/)) doc.text(line);
    doc.fontSize(9).text('振込手数料はお客様のご負担にてお願いいたします。');
  }
  doc.end();
  return done;
}
