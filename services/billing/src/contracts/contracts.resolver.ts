import { Args, Context, Int, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { connectionCapacity } from '@thankstar/contracts';
import { CurrentPrincipal, forbidden, type Principal, ReferencePrincipal } from '@thankstar/platform';
import { pageWindow } from '../access/page-request';
import { isProviderStaff, tenantScope } from '../access/tenant-scope';
import type { ListInputOption } from '../invoicing/invoice';
import { PlansService } from '../plans/plans.service';
import type { ContractEntity, ContractStatus } from './contract.entity';
import type { ContractSort } from './contracts.repository';
import { ContractsService } from './contracts.service';
import { minimumTerm } from './early-termination';

const listInputs: Record<string, ListInputOption> = { NONE: 'none', PER_POPUP: 'per-popup', PER_RECORD: 'per-record' };
const enumOf = (value: string) => value.toUpperCase().replace('-', '_');
/** Provider staff act across tenants; everyone else only on their own. */
const scopeOf = (p: Principal): string | null => (isProviderStaff(p) ? null : p.tenantId);

/**
 * The tenant whose contract is read: provider staff (sales too: they move plan versions and sell
 * packs, and see the tenants list) may name any tenant; everyone else gets their own.
 */
const readsAnyTenant = isProviderStaff;
const contractReadScope = (principal: Principal, tenantId?: string | null): string => tenantScope(principal, tenantId);
const statuses: Record<string, ContractStatus> = { ACTIVE: 'active', TERMINATED: 'terminated' };
const contractSorts: Record<string, ContractSort> = {
  SERVICE_START_DATE: 'serviceStartDate',
  STATUS: 'status',
  CREATED_AT: 'createdAt',
};

interface NewContractInput {
  tenantId: string;
  recipientName: string;
  planCode: string;
  serviceStartDate: string;
  listInput: string;
  connectionPacks?: number | null;
}

@Resolver('Contract')
export class ContractsResolver {
  constructor(
    private readonly contracts: ContractsService,
    private readonly plans: PlansService,
  ) {}

  @Query('contract')
  contract(@CurrentPrincipal() principal: Principal, @Args('tenantId') tenantId?: string) {
    return this.contracts.current(contractReadScope(principal, tenantId));
  }

  /**
   * Contract history, newest first. Back office, sales and platform admins: every tenant's, or the
   * one named by tenantId. Tenant admins: their own only; naming another tenant is FORBIDDEN, as
   * for `contract`.
   */
  @Query('contracts')
  list(
    @CurrentPrincipal() principal: Principal,
    @Args('tenantId') tenantId?: string | null,
    @Args('status') status?: string | null,
  ) {
    const provider = readsAnyTenant(principal);
    const scope = provider ? (tenantId ?? null) : tenantScope(principal, tenantId);
    return this.contracts.list(scope, status ? (statuses[status] ?? null) : null);
  }

  /**
   * A page of contracts. Provider staff: every tenant's, or the one named in the filter; tenant
   * admins: their own only (naming another tenant is FORBIDDEN).
   */
  @Query('contractPage')
  page(
    @CurrentPrincipal() principal: Principal,
    @Args('filter') filter?: { tenantId?: string | null; status?: string | null; planCode?: string | null } | null,
    @Args('offset', { type: () => Int }) offset?: number | null,
    @Args('limit', { type: () => Int }) limit?: number | null,
    @Args('sort') sort?: string | null,
    @Args('descending') descending?: boolean | null,
  ) {
    const tenantId = readsAnyTenant(principal) ? (filter?.tenantId ?? null) : tenantScope(principal, filter?.tenantId);
    return this.contracts.page(
      {
        tenantId,
        status: filter?.status ? (statuses[filter.status] ?? null) : null,
        planCode: filter?.planCode?.trim() || null,
      },
      {
        ...pageWindow(offset, limit),
        sort: contractSorts[sort ?? ''] ?? 'serviceStartDate',
        descending: descending ?? true,
      },
    );
  }

  /** One contract by id; tenant admins only their own tenant's (another's is not found). */
  @Query('contractById')
  byId(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    return this.contracts.byId(scopeOf(principal), id);
  }

  /** The tenant as a reference: licensing adds its name (and hides another tenant's from a tenant admin). */
  @ResolveField('tenant')
  tenantOf(@Parent() c: ContractEntity) {
    return { __typename: 'Tenant', id: c.tenantId };
  }

  @Query('previewTermination')
  async preview(@Args('contractId') contractId: string, @Args('endMonth') endMonth: string) {
    const et = await this.contracts.previewTermination(null, contractId, endMonth);
    return {
      contractId,
      endMonth,
      minimumTermTo: et.term.lastMonth,
      monthsRemaining: et.monthsRemaining,
      feeYen: et.feeYen,
    };
  }

  @Mutation('createContract')
  create(@Args('input') input: NewContractInput) {
    return this.contracts.create({
      ...input,
      listInput: listInputs[input.listInput] ?? 'none',
      connectionPacks: input.connectionPacks ?? 0,
    });
  }

  @Mutation('addConnectionPacks')
  addPacks(
    @CurrentPrincipal() principal: Principal,
    @Args('contractId') contractId: string,
    @Args('count', { type: () => Int }) count: number,
    @Args('purchasedOn') purchasedOn: string,
  ) {
    return this.contracts.addPacks(scopeOf(principal), contractId, count, purchasedOn);
  }

  @Mutation('terminateContract')
  terminate(
    @CurrentPrincipal() principal: Principal,
    @Args('contractId') contractId: string,
    @Args('endMonth') endMonth: string,
    @Args('expectedFeeYen', { type: () => Int }) expectedFeeYen: number,
  ) {
    return this.contracts.terminate(scopeOf(principal), contractId, endMonth, expectedFeeYen);
  }

  @Mutation('movePlanVersion')
  movePlanVersion(
    @CurrentPrincipal() principal: Principal,
    @Args('contractId') contractId: string,
    @Args('planVersionId') planVersionId: string,
    @Args('effectiveFrom') effectiveFrom: string,
  ) {
    return this.contracts.movePlanVersion(scopeOf(principal), contractId, planVersionId, effectiveFrom);
  }

  @ResolveField('planChanges')
  async planChanges(@Parent() c: ContractEntity) {
    const changes = (await this.contracts.planChanges(this.contracts.manager, [c.id])).get(c.id) ?? [];
    return Promise.all(
      changes.map(async (ch) => ({
        effectiveFrom: ch.effectiveFrom,
        planVersion: await this.plans.version(ch.planVersionId),
      })),
    );
  }

  @ResolveField('planVersion')
  planVersion(@Parent() c: ContractEntity) {
    return this.plans.version(c.planVersionId);
  }

  @ResolveField('status')
  status(@Parent() c: ContractEntity) {
    return enumOf(c.status);
  }

  @ResolveField('listInput')
  listInput(@Parent() c: ContractEntity) {
    return enumOf(c.listInput);
  }

  @ResolveField('connectionPacks')
  packs(@Parent() c: ContractEntity) {
    return this.contracts.packs(c.tenantId, c.id);
  }

  @ResolveField('connectionCapacity')
  async capacity(@Parent() c: ContractEntity) {
    // The capacity licensing enforces: one rule (libs/contracts), whatever the plan prices a pack at.
    return connectionCapacity((await this.contracts.packs(c.tenantId, c.id)).length);
  }

  @ResolveField('minimumTermFrom')
  termFrom(@Parent() c: ContractEntity) {
    return minimumTerm(c.serviceStartDate).firstMonth;
  }

  @ResolveField('minimumTermTo')
  async termTo(@Parent() c: ContractEntity) {
    const version = await this.plans.version(c.planVersionId);
    return minimumTerm(c.serviceStartDate, version.minimumTermMonths).lastMonth;
  }
}

@Resolver('Tenant')
export class TenantResolver {
  constructor(
    private readonly contracts: ContractsService,
    private readonly entityPrincipal: ReferencePrincipal,
  ) {}

  @ResolveReference()
  resolveReference(ref: { id: string }) {
    return { id: ref.id };
  }

  @ResolveField('contract')
  contract(@Parent() tenant: { id: string }, @Context('req') req: Parameters<ReferencePrincipal['run']>[0]) {
    return this.entityPrincipal.run(req, async (principal) => {
      if (!principal.roles.includes('tenant-admin') && !isProviderStaff(principal)) {
        throw forbidden({
          ja: '契約はテナント管理者と提供元だけが見られます。',
          en: 'Contracts are for tenant administrators and the provider.',
        });
      }
      return this.contracts.current(contractReadScope(principal, tenant.id));
    });
  }
}
