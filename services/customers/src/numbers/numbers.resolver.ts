import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { normalizePhoneNumber } from '@thankstar/phone';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import type { ListedNumber } from './numbers.repository';
import { NumbersService } from './numbers.service';

const display = (n: ListedNumber) => (n.e164 ? normalizePhoneNumber(n.e164).display : null);

@Resolver('EmployeeNumber')
export class EmployeeNumbersResolver {
  constructor(private readonly numbers: NumbersService) {}

  @Query('employeeNumbers')
  list(@CurrentPrincipal() principal: Principal) {
    return this.numbers.list(principal.tenantId, 'employee');
  }

  @Mutation('addEmployeeNumber')
  add(@CurrentPrincipal() principal: Principal, @Args('number') number: string, @Args('label') label: string | null) {
    return this.numbers.add(principal, 'employee', number, label ?? null);
  }

  @Mutation('removeEmployeeNumber')
  remove(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    return this.numbers.remove(principal, 'employee', id);
  }

  @ResolveField('display')
  display(@Parent() n: ListedNumber) {
    return display(n);
  }

  @ResolveField('label')
  label(@Parent() n: ListedNumber) {
    return n.note;
  }
}

@Resolver('NuisanceNumber')
export class NuisanceNumbersResolver {
  constructor(private readonly numbers: NumbersService) {}

  @Query('nuisanceNumbers')
  list(@CurrentPrincipal() principal: Principal) {
    return this.numbers.list(principal.tenantId, 'nuisance');
  }

  @Mutation('addNuisanceNumber')
  add(@CurrentPrincipal() principal: Principal, @Args('number') number: string, @Args('reason') reason: string) {
    return this.numbers.add(principal, 'nuisance', number, reason);
  }

  @Mutation('removeNuisanceNumber')
  remove(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    return this.numbers.remove(principal, 'nuisance', id);
  }

  @ResolveField('display')
  display(@Parent() n: ListedNumber) {
    return display(n);
  }

  @ResolveField('reason')
  reason(@Parent() n: ListedNumber) {
    return n.note;
  }
}
