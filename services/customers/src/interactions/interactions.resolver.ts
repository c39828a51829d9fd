import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import type { Interaction } from './interaction';
import { summaryOf } from './interaction';
import type { InteractionUpdate } from './interaction-changes';
import { InteractionsService } from './interactions.service';

@Resolver('Interaction')
export class InteractionsResolver {
  constructor(private readonly service: InteractionsService) {}

  @Query('interaction')
  interaction(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    return this.service.get(principal.tenantId, id);
  }

  @Mutation('startInteraction')
  startInteraction(@CurrentPrincipal() principal: Principal, @Args('callId') callId: string) {
    return this.service.startInteraction(principal, callId);
  }

  @Mutation('updateInteraction')
  updateInteraction(
    @CurrentPrincipal() principal: Principal,
    @Args('id') id: string,
    @Args('input') input: InteractionUpdate,
  ) {
    return this.service.update(principal, id, { ...input });
  }

  @Mutation('addNote')
  addNote(
    @CurrentPrincipal() principal: Principal,
    @Args('customerId') customerId: string,
    @Args('notes') notes: string,
    @Args('outcome') outcome: string | null,
  ) {
    return this.service.addNote(principal, customerId, notes, outcome ?? null);
  }

  @ResolveField('summary')
  summary(@Parent() i: Interaction) {
    return summaryOf(i);
  }

  @ResolveField('edits')
  edits(@Parent() i: Interaction) {
    return this.service.edits(i.tenantId, i.id);
  }
}
