import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { PopupPrices } from '../rating/rate';
import { type PlanEntity, type PlanVersionEntity } from './plan.entity';
import { PlansService, type PlanVersionFields } from './plans.service';

interface PopupPricesInput {
  customer: number;
  multipleMatches: number;
  unknown: number;
  withheld: number;
  employee: number;
  nuisance: number;
}
type PlanVersionInput = Omit<PlanVersionFields, 'popupPrices'> & { popupPrices: PopupPricesInput };

const fromInput = (input: PlanVersionInput): PlanVersionFields => ({
  ...input,
  popupPrices: {
    CUSTOMER: input.popupPrices.customer,
    MULTIPLE_MATCHES: input.popupPrices.multipleMatches,
    UNKNOWN: input.popupPrices.unknown,
    WITHHELD: input.popupPrices.withheld,
    EMPLOYEE: input.popupPrices.employee,
    NUISANCE: input.popupPrices.nuisance,
  },
});

export const popupPricesOut = (p: PopupPrices): PopupPricesInput => ({
  customer: p.CUSTOMER,
  multipleMatches: p.MULTIPLE_MATCHES,
  unknown: p.UNKNOWN,
  withheld: p.WITHHELD,
  employee: p.EMPLOYEE,
  nuisance: p.NUISANCE,
});

@Resolver('Plan')
export class PlansResolver {
  constructor(private readonly plans: PlansService) {}

  @Query('plans')
  list() {
    return this.plans.list();
  }

  @Mutation('createPlan')
  create(@Args('code') code: string, @Args('name') name: string, @Args('firstVersion') first: PlanVersionInput) {
    return this.plans.create(code, name, fromInput(first));
  }

  @Mutation('addPlanVersion')
  addVersion(@Args('planId') planId: string, @Args('input') input: PlanVersionInput) {
    return this.plans.addVersion(planId, fromInput(input));
  }

  @ResolveField('versions')
  versions(@Parent() plan: PlanEntity) {
    return this.plans.versions(plan.id);
  }
}

@Resolver('PlanVersion')
export class PlanVersionResolver {
  constructor(private readonly plans: PlansService) {}

  @ResolveField('plan')
  plan(@Parent() version: PlanVersionEntity) {
    return this.plans.plan(version.planId);
  }

  @ResolveField('popupPrices')
  popupPrices(@Parent() version: PlanVersionEntity) {
    return popupPricesOut(version.popupPrices);
  }
}
