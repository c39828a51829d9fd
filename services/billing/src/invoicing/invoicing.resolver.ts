import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import { pageWindow } from '../access/page-request';
import { checked } from '../access/rule-errors';
import { isProviderStaff, tenantScope } from '../access/tenant-scope';
import { parseMonth } from '../calendar/month';
import type { InvoiceEntity, InvoiceKind, InvoiceStatus } from './invoice.entity';
import { type InvoiceSettings, InvoiceSettingsService } from './invoice-settings.service';
import type { InvoiceSort } from './invoices.repository';
import { InvoicingService } from './invoicing.service';
import { localDate, paymentDueDate } from './payment-terms';

const enumOf = (value: string) => value.toUpperCase().replace('-', '_');
const iso = (d: Date | null) => d?.toISOString() ?? null;

const statuses: Record<string, InvoiceStatus> = { DRAFT: 'draft', ISSUED: 'issued', PAID: 'paid', VOID: 'void' };
const kinds: Record<string, InvoiceKind> = { INVOICE: 'invoice', CREDIT_NOTE: 'credit-note' };
const invoiceSorts: Record<string, InvoiceSort> = {
  MONTH: 'month',
  NUMBER: 'number',
  TOTAL: 'total',
  ISSUED_AT: 'issuedAt',
  STATUS: 'status',
};
const settingsOut = (s: InvoiceSettings) => ({
  paymentTerms: enumOf(s.paymentTerms).replaceAll('-', '_'),
  paymentTermDays: s.paymentTermDays,
  bankAccount: s.bankAccount,
  updatedAt: iso(s.updatedAt),
});

/** Operators never see invoices: every operation here names the roles that do. */
@Resolver('Invoice')
export class InvoicingResolver {
  constructor(
    private readonly invoicing: InvoicingService,
    private readonly settingsService: InvoiceSettingsService,
  ) {}

  @Query('invoices')
  list(@CurrentPrincipal() principal: Principal, @Args('tenantId') tenantId?: string) {
    return this.invoicing.list(tenantScope(principal, tenantId), isProviderStaff(principal));
  }

  /**
   * A page of invoices with the filtered set's totals. Provider staff: every tenant's (drafts
   * too), or the one named; tenant admins: their own, never drafts (naming another is FORBIDDEN).
   */
  @Query('invoicePage')
  async page(
    @CurrentPrincipal() principal: Principal,
    @Args('filter') filter?: {
      tenantId?: string | null;
      month?: string | null;
      status?: string | null;
      kind?: string | null;
    } | null,
    @Args('offset', { type: () => Int }) offset?: number | null,
    @Args('limit', { type: () => Int }) limit?: number | null,
    @Args('sort') sort?: string | null,
    @Args('descending') descending?: boolean | null,
  ) {
    const staff = isProviderStaff(principal);
    const month = filter?.month?.trim() || null;
    if (month) checked(() => parseMonth(month));
    const rows = await this.invoicing.page(
      {
        tenantId: staff ? (filter?.tenantId ?? null) : tenantScope(principal, filter?.tenantId),
        month,
        status: filter?.status ? (statuses[filter.status] ?? null) : null,
        kind: filter?.kind ? (kinds[filter.kind] ?? null) : null,
        includeDrafts: staff,
      },
      { ...pageWindow(offset, limit), sort: invoiceSorts[sort ?? ''] ?? 'month', descending: descending ?? true },
    );
    return {
      items: rows.items,
      total: rows.total,
      byStatus: [...rows.byStatus].map(([status, t]) => ({ status: enumOf(status), ...t })),
    };
  }

  @Query('invoiceSettings')
  async settings() {
    return settingsOut(await this.settingsService.current());
  }

  @Mutation('updateInvoiceSettings')
  async updateSettings(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: { paymentTerms: string; paymentTermDays: number; bankAccount: string },
  ) {
    const paymentTerms = input.paymentTerms === 'DAYS_AFTER_ISSUE' ? 'days-after-issue' : 'end-of-next-month';
    return settingsOut(await this.settingsService.update({ ...input, paymentTerms }, principal.userId));
  }

  @Mutation('issueInvoices')
  async issueMany(@Args('ids', { type: () => [String] }) ids: string[]) {
    const { issued, failed } = await this.invoicing.issueMany(ids);
    return {
      issued,
      failed: failed.map((f) => ({ invoiceId: f.invoiceId, code: f.error.code, message: f.error.message })),
    };
  }

  @Query('invoice')
  one(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    const staff = isProviderStaff(principal);
    return this.invoicing.get(staff ? null : principal.tenantId, id, staff);
  }

  @Query('invoiceEstimate')
  estimate(
    @CurrentPrincipal() principal: Principal,
    @Args('month') month?: string,
    @Args('tenantId') tenantId?: string,
  ) {
    return this.invoicing.estimate(tenantScope(principal, tenantId), month ?? null);
  }

  @Mutation('closeMonth')
  close(@Args('tenantId') tenantId: string, @Args('month') month: string) {
    return this.invoicing.closeMonth(tenantId, month);
  }

  @Mutation('issueInvoice')
  issue(@Args('id') id: string) {
    return this.invoicing.issue(id);
  }

  @Mutation('markInvoicePaid')
  paid(@Args('id') id: string) {
    return this.invoicing.markPaid(id);
  }

  @Mutation('voidInvoice')
  void(@Args('id') id: string, @Args('reason') reason: string) {
    return this.invoicing.void(id, reason);
  }

  @Mutation('createCreditNote')
  credit(
    @Args('invoiceId') invoiceId: string,
    @Args('description') description: string,
    @Args('amountYen', { type: () => Int }) amountYen: number,
  ) {
    return this.invoicing.creditNote(invoiceId, description, amountYen);
  }

  @Query('keyedRecords')
  async keyedRecordsOfMonth(
    @CurrentPrincipal() principal: Principal,
    @Args('month') month: string,
    @Args('tenantId') tenantId?: string,
  ) {
    return (await this.invoicing.keyedRecordsOfMonth(tenantScope(principal, tenantId), month)).total;
  }

  @Mutation('setKeyedRecords')
  keyed(
    @Args('tenantId') tenantId: string,
    @Args('month') month: string,
    @Args('records', { type: () => Int }) records: number,
  ) {
    return this.invoicing.setKeyedRecords(tenantId, month, records);
  }

  @ResolveField('kind')
  kind(@Parent() i: InvoiceEntity) {
    return enumOf(i.kind);
  }

  @ResolveField('status')
  status(@Parent() i: InvoiceEntity) {
    return enumOf(i.status);
  }

  @ResolveField('issuedAt')
  issuedAt(@Parent() i: InvoiceEntity) {
    return iso(i.issuedAt);
  }

  @ResolveField('paidAt')
  paidAt(@Parent() i: InvoiceEntity) {
    return iso(i.paidAt);
  }

  @ResolveField('voidedAt')
  voidedAt(@Parent() i: InvoiceEntity) {
    return iso(i.voidedAt);
  }

  @ResolveField('usageWatermark')
  usageWatermark(@Parent() i: InvoiceEntity) {
    return iso(i.usageWatermark);
  }

  /** The tenant as a reference: licensing adds its name (and hides another tenant's from a tenant admin). */
  @ResolveField('tenant')
  tenantOf(@Parent() i: InvoiceEntity) {
    return { __typename: 'Tenant', id: i.tenantId };
  }

  @ResolveField('paymentDueDate')
  paymentDueDate(@Parent() i: InvoiceEntity) {
    if (i.kind !== 'invoice' || !i.issuedAt || !i.paymentTerms || i.paymentTermDays === null) return null;
    return paymentDueDate(localDate(i.issuedAt), { paymentTerms: i.paymentTerms, paymentTermDays: i.paymentTermDays });
  }

  @ResolveField('pdfPath')
  pdfPath(@Parent() i: InvoiceEntity) {
    return `/v1/invoices/${i.id}.pdf`;
  }
}
