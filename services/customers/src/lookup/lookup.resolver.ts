import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import type { SourceSettings } from './connectors/connector';
import type { SourceKind } from './lookup.repository';
import { LookupService, type SourceInput } from './lookup.service';

interface LookupSourceArgs {
  name: string;
  kind: SourceKind;
  enabled?: boolean | null;
  budgetMs?: number | null;
  endpoint: string;
  appId?: string | null;
  database?: string | null;
  layout?: string | null;
  account?: string | null;
  phoneFields: string[];
  titleField?: string | null;
  displayFields: { field: string; label?: string | null }[];
  notes?: SourceSettings['notes'] | null;
  secret?: string | null;
}

const toInput = (a: LookupSourceArgs): SourceInput => ({
  name: a.name,
  kind: a.kind,
  enabled: a.enabled ?? null,
  budgetMs: a.budgetMs ?? null,
  secret: a.secret ?? null,
  settings: {
    endpoint: a.endpoint,
    appId: a.appId ?? null,
    database: a.database ?? null,
    layout: a.layout ?? null,
    account: a.account ?? null,
    phoneFields: a.phoneFields,
    titleField: a.titleField ?? null,
    displayFields: a.displayFields.map((d) => ({ field: d.field, label: d.label ?? d.field })),
    notes: a.notes ?? { mode: 'NONE' },
  },
});

/** Lookup sources: tenant admins of the token's tenant only (the role table in libs/platform decides). */
@Resolver('LookupSource')
export class LookupResolver {
  constructor(private readonly lookup: LookupService) {}

  @Query('lookupSources')
  lookupSources(@CurrentPrincipal() principal: Principal) {
    return this.lookup.sources(principal.tenantId);
  }

  @Mutation('createLookupSource')
  async createLookupSource(@CurrentPrincipal() principal: Principal, @Args('input') input: LookupSourceArgs) {
    const { source, secret } = await this.lookup.create(principal.tenantId, toInput(input));
    return { source, signingSecret: secret };
  }

  @Mutation('updateLookupSource')
  updateLookupSource(
    @CurrentPrincipal() principal: Principal,
    @Args('id') id: string,
    @Args('input') input: LookupSourceArgs,
  ) {
    return this.lookup.update(principal.tenantId, id, toInput(input));
  }

  @Mutation('deleteLookupSource')
  deleteLookupSource(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    return this.lookup.remove(principal.tenantId, id);
  }

  @Mutation('tryLookupSource')
  tryLookupSource(
    @CurrentPrincipal() principal: Principal,
    @Args('id') id: string,
    @Args('number') number: string,
    @Args('line') line: string | null,
  ) {
    return this.lookup.tryNumber(principal.tenantId, id, number, line ?? null);
  }
}
