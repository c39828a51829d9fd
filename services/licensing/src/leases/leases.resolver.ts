import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import type { Lease } from './leases.repository';
import { LeasesService } from './leases.service';

const toLease = (l: Lease) => ({
  id: l.id,
  userId: l.userId,
  userName: l.userName,
  deviceKind: l.deviceKind.toUpperCase(),
  label: l.label,
  since: l.acquiredAt.toISOString(),
  expiresAt: l.expiresAt.toISOString(),
});

@Resolver()
export class LeasesResolver {
  constructor(private readonly leases: LeasesService) {}

  @Query('activeLeases')
  async activeLeases(@CurrentPrincipal() principal: Principal) {
    return (await this.leases.activeLeases(principal.tenantId)).map(toLease);
  }

  @Mutation('endLease')
  async endLease(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    await this.leases.release(principal, id, true);
    return true;
  }

  @Query('connectionUsage')
  async connectionUsage(@CurrentPrincipal() principal: Principal, @Args('from') from: string, @Args('to') to: string) {
    const usage = await this.leases.usage(principal.tenantId, new Date(from), new Date(to));
    return {
      ...usage,
      from: usage.from.toISOString(),
      to: usage.to.toISOString(),
      perMinute: usage.perMinute.map((m) => ({ minute: m.minute.toISOString(), peak: m.peak })),
    };
  }
}
