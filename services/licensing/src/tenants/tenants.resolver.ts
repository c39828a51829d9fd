import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
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
