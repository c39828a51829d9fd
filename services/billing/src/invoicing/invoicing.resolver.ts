import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import { isProviderStaff, tenantScope } from '../access/tenant-scope';
import type { InvoiceEntity } from './invoice.entity';
import { InvoicingService } from './invoicing.service';

const enumOf = (value: string) => value.toUpperCase().replace('-', '_');
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Operators never see invoices: every operation here names the roles that do. */
@Resolver('Invoice')
export class InvoicingResolver {
  constructor(private readonly invoicing: InvoicingService) {}

  @Query('invoices')
  list(@CurrentPrincipal() principal: Principal, @Args('tenantId') tenantId?: string) {
    return this.invoicing.list(tenantScope(principal, tenantId), isProviderStaff(principal));
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

  @ResolveField('pdfPath')
  pdfPath(@Parent() i: InvoiceEntity) {
    return `/v1/invoices/${i.id}.pdf`;
  }
}
