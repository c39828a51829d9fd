import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 17 item 5, "Containers that work": the built service (dist/, from `npx tsc -b`) renders an
 * invoice PDF with no font variable set, because IPAex Gothic ships with it (assets/fonts/). Run in
 * a child process from dist, with BILLING_PDF_FONT removed from its environment, as a container
 * with no Japanese system font runs it.
 */
const dist = join(__dirname, '../dist/src/invoicing/invoice-pdf.js');

const script = `
const { pdfFontPath, renderInvoicePdf } = require(${JSON.stringify(dist)});
const font = pdfFontPath();
renderInvoicePdf({
  kind: 'invoice', number: 'INV-000042', status: 'issued', issuedAt: new Date('2026-12-01T00:00:00Z'),
  issuerName: 'サンクスター株式会社', issuerRegistrationNumber: 'T1234567890123',
  recipientName: '株式会社フォント', periodStart: '2026-11-01', periodEnd: '2026-11-30',
  lines: [{ kind: 'MAINTENANCE', description: 'システム保守料金 2026-11', quantity: 1, unitPriceYen: 10000, amountYen: 10000, taxRatePercent: 10 }],
  taxes: [{ taxRatePercent: 10, subtotalYen: 10000, taxYen: 1000 }],
  subtotalYen: 10000, taxYen: 1000, totalYen: 11000, reason: null,
}, font).then((pdf) => { process.stderr.write(font); process.stdout.write(pdf); });
`;

describe('invoice PDF from the built service', () => {
  it('embeds the bundled Japanese font and prints the total with no BILLING_PDF_FONT', () => {
    if (!existsSync(dist)) throw new Error(`build billing first (npx tsc -b services/billing): ${dist} is missing`);
    const env = { ...process.env };
    delete env.BILLING_PDF_FONT;
    const run = spawnSync(process.execPath, ['-e', script], { env, maxBuffer: 64 * 1024 * 1024 });
    expect(run.status).toBe(0);
    // The font came with the application, next to dist/, not from the machine's fonts.
    expect(run.stderr.toString('utf8')).toBe(join(__dirname, '../assets/fonts/ipaexg.ttf'));
    const out = run.stdout;
    expect(out.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The font is embedded (a subset of IPAex Gothic), not referenced from the machine.
    const fonts = execFileSync('pdffonts', ['-'], { input: out }).toString('utf8');
    expect(fonts).toMatch(/IPAexGothic\s.*\byes\b/);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: out }).toString('utf8');
    expect(text).toContain('適格請求書');
    expect(text).toContain('株式会社フォント 御中');
    expect(text).toContain('合計 (税込) 11,000円');
  });
});
