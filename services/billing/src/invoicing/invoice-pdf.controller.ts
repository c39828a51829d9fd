import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { isUuid } from '@thankstar/contracts';
import { CurrentPrincipal, DomainError, notFound, type Principal, Roles } from '@thankstar/platform';
import { isProviderStaff } from '../access/tenant-scope';
import { type BillingConfig, CONFIG } from '../config';
import type { InvoiceEntity } from './invoice.entity';
import { PdfFontMissingError, pdfFontPath, renderInvoicePdf } from './invoice-pdf';
import { InvoiceSettingsService } from './invoice-settings.service';
import { InvoicingService } from './invoicing.service';
import type { PaymentSettings } from './payment-terms';

interface BinaryResponse {
  setHeader(name: string, value: string): void;
  end(body: Buffer): void;
}

@Controller('v1/invoices')
export class InvoicePdfController {
  constructor(
    private readonly invoicing: InvoicingService,
    private readonly settings: InvoiceSettingsService,
    @Inject(CONFIG) private readonly config: BillingConfig,
  ) {}

  /** The invoice as a PDF, for the tenant's admins (their own) and provider staff. */
  @Roles('tenant-admin', 'back-office', 'platform-admin')
  @Get(':file')
  async pdf(@CurrentPrincipal() principal: Principal, @Param('file') file: string, @Res() res: BinaryResponse) {
    const id = file.endsWith('.pdf') ? file.slice(0, -4) : '';
    if (!isUuid(id)) throw notFound('invoice');
    const staff = isProviderStaff(principal);
    const invoice = await this.invoicing.get(staff ? null : principal.tenantId, id, staff);
    let font: string;
    try {
      font = pdfFontPath(this.config.BILLING_PDF_FONT);
    } catch (err) {
      if (err instanceof PdfFontMissingError) throw new DomainError('PDF_FONT_MISSING', { path: err.path });
      throw err;
    }
    const pdf = await renderInvoicePdf({ ...invoice, payment: await this.paymentOf(invoice) }, font);
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', `inline; filename="${invoice.number ?? `draft-${invoice.id}`}.pdf"`);
    res.end(pdf);
  }

  /** The settings an issued invoice was issued with; a draft (or an invoice issued before they were kept) today's. */
  private async paymentOf(invoice: InvoiceEntity): Promise<PaymentSettings | null> {
    if (invoice.kind !== 'invoice') return null;
    if (invoice.paymentTerms && invoice.paymentTermDays !== null && invoice.bankAccount !== null) {
      return {
        paymentTerms: invoice.paymentTerms,
        paymentTermDays: invoice.paymentTermDays,
        bankAccount: invoice.bankAccount,
      };
    }
    return this.settings.current();
  }
}
