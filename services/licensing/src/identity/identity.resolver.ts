import { Args, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { InjectRepository } from '@nestjs/typeorm';
import { CurrentPrincipal, forbidden, notFound, type Principal, Public, type Role } from '@thankstar/platform';
import type { Repository } from 'typeorm';
import { LoginService } from './login.service';
import { TenantEntity } from './tenant.entity';
import { UserEntity } from './user.entity';

const toGraphQLRole = (role: Role) => role.toUpperCase().replace('-', '_');

@Resolver('User')
export class UserResolver {
  constructor(
    private readonly login: LoginService,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
  ) {}

  @Public()
  @Mutation('login')
  async signIn(@Args('email') email: string, @Args('password') password: string) {
    return this.login.login(email, password);
  }

  @Query('me')
  async me(@CurrentPrincipal() principal: Principal) {
    const user = await this.users.findOne({ where: { id: principal.userId, tenantId: principal.tenantId } });
    if (!user) throw notFound('Your user');
    return user;
  }

  @ResolveField('roles')
  roles(@Parent() user: UserEntity) {
    return user.roles.map(toGraphQLRole);
  }

  @ResolveField('tenant')
  async tenant(@Parent() user: UserEntity) {
    return this.tenants.findOneByOrFail({ id: user.tenantId });
  }

  @ResolveReference()
  async resolveReference(ref: { id: string }, @CurrentPrincipal() principal: Principal) {
    const user = await this.users.findOne({ where: { id: ref.id, tenantId: principal.tenantId } });
    return user ?? null;
  }
}

@Resolver('Tenant')
export class TenantResolver {
  constructor(@InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>) {}

  @ResolveReference()
  async resolveReference(ref: { id: string }, @CurrentPrincipal() principal: Principal) {
    if (ref.id !== principal.tenantId && !principal.roles.some((r) => r === 'back-office' || r === 'platform-admin')) {
      throw forbidden('That tenant is not yours.');
    }
    return this.tenants.findOneBy({ id: ref.id });
  }
}
