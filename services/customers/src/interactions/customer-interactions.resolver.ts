import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import type { Customer } from '../customers/customer';
import { type CustomerInput, CustomersService } from '../customers/customers.service';
import { InteractionsService } from './interactions.service';

/**
 * The customer's side of interactions: its history (`interactions`, `Customer.interactions`) and
 * `updateCustomer`, which with a `callId` is a correction made during that call (the call's popup
 * shows it). Here rather than in the customers feature, which knows nothing of calls.
 */
@Resolver('Customer')
export class CustomerInteractionsResolver {
  constructor(
    private readonly service: InteractionsService,
    private readonly customers: CustomersService,
  ) {}

  @Query('interactions')
  async interactionsOf(
    @CurrentPrincipal() principal: Principal,
    @Args('customerId') customerId: string,
    @Args('limit') limit: number | null,
  ) {
    await this.customers.get(principal.tenantId, customerId);
    return this.service.recentOf(principal.tenantId, customerId, limit);
  }

  @Mutation('updateCustomer')
  update(
    @CurrentPrincipal() principal: Principal,
    @Args('id') id: string,
    @Args('input') input: CustomerInput,
    @Args('callId') callId: string | null,
  ) {
    return this.service.correctProfile(principal, id, input, callId ?? null);
  }

  @ResolveField('interactions')
  interactionsField(@Parent() c: Customer, @Args('limit') limit: number | null) {
    return this.service.recentOf(c.tenantId, c.id, limit);
  }
}
