import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@thankstar/platform';
import { toGraphQLInvitation } from '../identity/identity.resolver';
import { TenantsService } from './tenants.service';

@Resolver()
export class TenantsResolver {
  constructor(private readonly tenants: TenantsService) {}

  /** Provider roles work across tenants by definition; sales needs the list for contracts and quotes. */
  @Query('tenants')
  async list() {
    return this.tenants.list();
  }

  /** Customer tenants by name, one page at a time (provider roles). */
  @Query('tenantPage')
  async page(
    @Args('search') search?: string | null,
    @Args('offset', { type: () => Int }) offset?: number | null,
    @Args('limit', { type: () => Int }) limit?: number | null,
    @Args('sort') sort?: string | null,
    @Args('descending') descending?: boolean | null,
  ) {
    return this.tenants.page(search ?? null, {
      offset,
      limit,
      sort: sort === 'CREATED_AT' ? 'createdAt' : 'name',
      descending,
    });
  }

  @Query('tenant')
  async one(@Args('id') id: string) {
    return this.tenants.one(id);
  }

  @Mutation('createTenant')
  async create(
    @CurrentPrincipal() principal: Principal,
    @Args('name') name: string,
    @Args('adminEmail') adminEmail: string,
    @Args('adminName') adminName: string,
    @Args('timezone') timezone?: string,
  ) {
    const { tenant, adminInvitation } = await this.tenants.create(
      { name, adminEmail, adminName, ...(timezone ? { timezone } : {}) },
      principal.userId,
    );
    // The invitation is mailed to adminEmail; its token is not in this answer.
    return { tenant, adminInvitation: toGraphQLInvitation(adminInvitation) };
  }
}
