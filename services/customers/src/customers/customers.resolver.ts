import { Args, Context, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal, ReferencePrincipal } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { CustomFieldsRepository } from '../custom-fields/custom-fields.repository';
import { displayValues } from '../custom-fields/validate';
import type { Customer } from './customer';
import { type CustomerSort, CustomersRepository } from './customers.repository';
import { type CustomerInput, CustomersService, type PhoneInput } from './customers.service';

const limitOf = (limit: number | null | undefined, max: number) => Math.min(Math.max(limit ?? 20, 1), max);

@Resolver('Customer')
export class CustomersResolver {
  constructor(
    private readonly service: CustomersService,
    private readonly customers: CustomersRepository,
    private readonly customFields: CustomFieldsRepository,
    private readonly dataSource: DataSource,
    private readonly referencePrincipal: ReferencePrincipal,
  ) {}

  @Query('customers')
  search(
    @CurrentPrincipal() principal: Principal,
    @Args('search') search: Parameters<CustomersService['search']>[1],
    @Args('page') page: Parameters<CustomersService['search']>[2],
    @Args('sort') sort: CustomerSort | null,
  ) {
    return this.service.search(principal.tenantId, search, page, sort ?? 'KANA_ASC');
  }

  @Query('customer')
  customer(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    return this.customers.findById(this.dataSource.manager, principal.tenantId, id);
  }

  @Query('customersByPhone')
  customersByPhone(
    @CurrentPrincipal() principal: Principal,
    @Args('number') number: string,
    @Args('exceptCustomerId') exceptCustomerId: string | null,
  ) {
    return this.service.byPhone(principal.tenantId, number, exceptCustomerId);
  }

  @Query('purchases')
  async purchases(
    @CurrentPrincipal() principal: Principal,
    @Args('customerId') customerId: string,
    @Args('limit') limit: number | null,
  ) {
    await this.service.get(principal.tenantId, customerId);
    return this.customers.purchasesOf(this.dataSource.manager, principal.tenantId, customerId, limitOf(limit, 500));
  }

  @Mutation('createCustomer')
  create(@CurrentPrincipal() principal: Principal, @Args('input') input: CustomerInput) {
    return this.service.create(principal, input);
  }

  @Mutation('addPhoneNumber')
  addPhoneNumber(
    @CurrentPrincipal() principal: Principal,
    @Args('customerId') customerId: string,
    @Args('phone') phone: PhoneInput,
  ) {
    return this.service.addPhoneNumber(principal, customerId, phone);
  }

  @Mutation('removeCustomerPhone')
  removeCustomerPhone(
    @CurrentPrincipal() principal: Principal,
    @Args('customerId') customerId: string,
    @Args('phoneId') phoneId: string,
  ) {
    return this.service.removePhone(principal, customerId, phoneId);
  }

  @Mutation('deleteCustomer')
  deleteCustomer(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    return this.service.delete(principal, id);
  }

  @Mutation('recordPurchase')
  recordPurchase(
    @CurrentPrincipal() principal: Principal,
    @Args('customerId') customerId: string,
    @Args('input') input: Parameters<CustomersService['recordPurchase']>[2],
  ) {
    return this.service.recordPurchase(principal, customerId, input);
  }

  @ResolveField('phones')
  phones(@Parent() c: Customer) {
    return this.customers.phonesOf(this.dataSource.manager, c.tenantId, [c.id]);
  }

  @ResolveField('customFields')
  async customFieldValues(@Parent() c: Customer) {
    const definitions = await this.customFields.list(this.dataSource.manager, c.tenantId);
    return definitions.map((d) => ({
      key: d.key,
      label: d.label,
      type: d.type,
      values: displayValues(c.customFields[d.key]),
    }));
  }

  @ResolveField('purchases')
  purchasesField(@Parent() c: Customer, @Args('limit') limit: number | null) {
    return this.customers.purchasesOf(this.dataSource.manager, c.tenantId, c.id, limitOf(limit, 500));
  }

  @ResolveField('purchaseTotals')
  purchaseTotals(@Parent() c: Customer) {
    return this.customers.purchaseTotalsOf(this.dataSource.manager, c.tenantId, c.id);
  }

  @ResolveField('lastPurchaseOn')
  async lastPurchaseOn(@Parent() c: Customer) {
    return (await this.customers.purchaseTotalsOf(this.dataSource.manager, c.tenantId, c.id)).lastPurchaseOn;
  }

  @ResolveReference()
  async resolveReference(@Parent() ref: { id: string }, @Context('req') req: Parameters<ReferencePrincipal['of']>[0]) {
    const principal = await this.referencePrincipal.of(req);
    return this.customers.findById(this.dataSource.manager, principal.tenantId, ref.id);
  }
}

/** `Tenant.customerCount`, for the caller's own tenant only. */
@Resolver('Tenant')
export class TenantCustomersResolver {
  constructor(
    private readonly customers: CustomersRepository,
    private readonly dataSource: DataSource,
    private readonly referencePrincipal: ReferencePrincipal,
  ) {}

  @ResolveReference()
  async resolveReference(@Parent() ref: { id: string }, @Context('req') req: Parameters<ReferencePrincipal['of']>[0]) {
    await this.referencePrincipal.ofTenant(req, ref.id);
    return { id: ref.id };
  }

  @ResolveField('customerCount')
  customerCount(@Parent() tenant: { id: string }) {
    return this.customers.count(this.dataSource.manager, tenant.id);
  }
}
