import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import { tenantScope } from '../access/tenant-scope';
import { UsageService } from './usage.service';

@Resolver('Usage')
export class UsageResolver {
  constructor(private readonly usage: UsageService) {}

  @Query('usage')
  month(@CurrentPrincipal() principal: Principal, @Args('month') month: string, @Args('tenantId') tenantId?: string) {
    return this.usage.month(tenantScope(principal, tenantId), month);
  }
}
