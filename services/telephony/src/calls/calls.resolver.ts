import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, DomainError, type Principal } from '@thankstar/platform';
import { LinesService } from '../lines/lines.service';
import type { Call } from './call';
import type { CallStatus } from './call-state';
import { CallsService } from './calls.service';

interface CallFilterInput {
  status?: string[] | null;
  since?: string | null;
  until?: string | null;
  lineId?: string | null;
  number?: string | null;
}

const enumName = (value: string) => value.toUpperCase().replace('-', '_');
const iso = (date: Date | null) => date?.toISOString() ?? null;

function timeArg(name: string, value: string | null | undefined): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new DomainError('INVALID_TIME', { name });
  return date;
}

@Resolver('Call')
export class CallsResolver {
  constructor(
    private readonly calls: CallsService,
    private readonly lines: LinesService,
  ) {}

  @Query('calls')
  callPage(
    @CurrentPrincipal() principal: Principal,
    @Args('filter') filter: CallFilterInput | null,
    @Args('page') page: { limit?: number; offset?: number } | null,
  ) {
    return this.calls.list(
      principal.tenantId,
      {
        statuses: filter?.status?.map((s) => s.toLowerCase() as CallStatus),
        since: timeArg('since', filter?.since),
        until: timeArg('until', filter?.until),
        lineId: filter?.lineId ?? undefined,
        number: filter?.number ?? undefined,
      },
      { limit: page?.limit ?? 50, offset: page?.offset ?? 0 },
    );
  }

  @Query('call')
  call(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    return this.calls.get(principal.tenantId, id);
  }

  @Query('missedCalls')
  missedCalls(@CurrentPrincipal() principal: Principal, @Args('since') since: string) {
    return this.calls.missed(principal.tenantId, principal.userId, timeArg('since', since) as Date);
  }

  @Mutation('markMissedCallsSeen')
  markMissedCallsSeen(@CurrentPrincipal() principal: Principal, @Args('callIds') callIds: string[]) {
    return this.calls.markSeen(principal.tenantId, principal.userId, callIds);
  }

  @ResolveField('status')
  status(@Parent() call: Call) {
    return enumName(call.status);
  }

  @ResolveField('source')
  source(@Parent() call: Call) {
    return enumName(call.source);
  }

  @ResolveField('line')
  line(@Parent() call: Call) {
    return call.lineId ? this.lines.get(call.tenantId, call.lineId) : null;
  }

  @ResolveField('ringingAt')
  ringingAt(@Parent() call: Call) {
    return iso(call.ringingAt);
  }

  @ResolveField('answeredAt')
  answeredAt(@Parent() call: Call) {
    return iso(call.answeredAt);
  }

  @ResolveField('endedAt')
  endedAt(@Parent() call: Call) {
    return iso(call.endedAt);
  }
}
