import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { normalizePhoneNumber } from '@thankstar/phone';
import {
  CurrentPrincipal,
  forbidden,
  type Principal,
  Roles,
  TOKEN_VERIFIER,
  type TokenVerifier,
  toGraphQLError,
  unauthenticated,
} from '@thankstar/platform';
import type { LineEntity } from './line.entity';
import { LinesService } from './lines.service';

/** Telephony's part of the shared Tenant entity: its lines, for the caller's own tenant only. */
@Resolver('Tenant')
export class TenantLinesResolver {
  constructor(
    private readonly lines: LinesService,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  @ResolveReference()
  resolveReference(ref: { id: string }) {
    return { id: ref.id };
  }

  /**
   * Reached through the gateway's `_entities` query, which no guarded resolver precedes, so the
   * token is verified here rather than trusted from an earlier guard.
   */
  @ResolveField('lines')
  async tenantLines(
    @Parent() tenant: { id: string },
    @Context('req') req: { headers: Record<string, unknown>; principal?: Principal },
  ) {
    // Field resolvers bypass the error filter, so the domain error is translated here.
    try {
      req.principal ??= await this.principalOf(req.headers.authorization);
      if (tenant.id !== req.principal.tenantId) throw forbidden('That tenant is not yours.');
      return await this.lines.list(req.principal.tenantId);
    } catch (error) {
      throw toGraphQLError(error);
    }
  }

  private async principalOf(header: unknown): Promise<Principal> {
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) throw unauthenticated();
    return this.verifier.verify(header.slice(7));
  }
}

@Resolver('Line')
export class LinesResolver {
  constructor(private readonly lines: LinesService) {}

  @ResolveField('number')
  number(@Parent() line: LineEntity) {
    return normalizePhoneNumber(line.numberRaw);
  }

  @Roles('tenant-admin')
  @Mutation('addLine')
  addLine(
    @CurrentPrincipal() principal: Principal,
    @Args('number') number: string,
    @Args('label') label: string | null,
  ) {
    return this.lines.add(principal.tenantId, number, label ?? null);
  }

  @Roles('tenant-admin')
  @Mutation('relabelLine')
  relabelLine(@CurrentPrincipal() principal: Principal, @Args('id') id: string, @Args('label') label: string | null) {
    return this.lines.relabel(principal.tenantId, id, label ?? null);
  }

  @Roles('tenant-admin')
  @Mutation('removeLine')
  removeLine(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    return this.lines.remove(principal.tenantId, id);
  }
}
