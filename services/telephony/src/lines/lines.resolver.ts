import { Args, Context, Mutation, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { normalizePhoneNumber } from '@thankstar/phone';
import { CurrentPrincipal, type Principal, ReferencePrincipal, type ReferenceRequest } from '@thankstar/platform';
import type { Line } from './lines.repository';
import { LinesService } from './lines.service';

/** Telephony's part of the shared Tenant entity: its lines, for the caller's own tenant only. */
@Resolver('Tenant')
export class TenantLinesResolver {
  constructor(
    private readonly lines: LinesService,
    private readonly referencePrincipal: ReferencePrincipal,
  ) {}

  @ResolveReference()
  resolveReference(ref: { id: string }) {
    return { id: ref.id };
  }

  /** Reached through the gateway's `_entities` query, which no guard precedes. */
  @ResolveField('lines')
  async tenantLines(@Parent() tenant: { id: string }, @Context('req') req: ReferenceRequest) {
    const principal = await this.referencePrincipal.ofTenant(req, tenant.id);
    return this.referencePrincipal.run(req, () => this.lines.list(principal.tenantId));
  }
}

@Resolver('Line')
export class LinesResolver {
  constructor(private readonly lines: LinesService) {}

  @ResolveField('number')
  number(@Parent() line: Line) {
    return normalizePhoneNumber(line.numberRaw);
  }

  @Mutation('addLine')
  addLine(
    @CurrentPrincipal() principal: Principal,
    @Args('number') number: string,
    @Args('label') label: string | null,
  ) {
    return this.lines.add(principal.tenantId, number, label ?? null);
  }

  @Mutation('relabelLine')
  relabelLine(@CurrentPrincipal() principal: Principal, @Args('id') id: string, @Args('label') label: string | null) {
    return this.lines.relabel(principal.tenantId, id, label ?? null);
  }

  @Mutation('removeLine')
  removeLine(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    return this.lines.remove(principal.tenantId, id);
  }
}
