import { Args, Context, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { isProviderStaff } from '@thankstar/contracts';
import { CurrentPrincipal, forwardingSecretFromEnv, type Principal, ReferencePrincipal } from '@thankstar/platform';
import { SigningKeysService } from '../keys/signing-keys.service';
import { type AddressedRequest, clientAddress } from './client-address';
import { fromGraphQLRole, toGraphQLRole } from './graphql-role';
import type { User } from './identity.repository';
import { type Invitation, InvitationsService } from './invitations.service';
import { type LoginResult, LoginService } from './login.service';
import { UsersService } from './users.service';

interface RequestHeaders {
  headers: Record<string, string | string[] | undefined>;
}

@Resolver('User')
export class UserResolver {
  /** Read at start: production without the secret fails here rather than trusting no one silently. */
  private readonly forwardingSecret = forwardingSecretFromEnv();

  constructor(
    private readonly login: LoginService,
    private readonly invitations: InvitationsService,
    private readonly usersService: UsersService,
    private readonly keys: SigningKeysService,
    private readonly referencePrincipal: ReferencePrincipal,
  ) {}

  @Mutation('login')
  async signIn(
    @Args('email') email: string,
    @Args('password') password: string,
    @Context('req') req: AddressedRequest,
  ): Promise<LoginResult> {
    return this.login.login(email, password, clientAddress(req, this.forwardingSecret));
  }

  /** Public: the refresh token itself is the proof, and the access token may have expired. */
  @Mutation('refresh')
  async refresh(@Args('refreshToken') refreshToken: string): Promise<LoginResult> {
    return this.login.refresh(refreshToken);
  }

  /** Public for the same reason as refresh; an unknown token changes nothing. */
  @Mutation('logout')
  async logout(@Args('refreshToken') refreshToken: string): Promise<boolean> {
    await this.login.logout(refreshToken);
    return true;
  }

  /** Any signed-in user: it reads only the caller's own record. */
  @Query('me')
  async me(@CurrentPrincipal() principal: Principal) {
    return this.usersService.me(principal);
  }

  @Query('users')
  async list(@CurrentPrincipal() principal: Principal) {
    return this.usersService.list(principal.tenantId);
  }

  @Mutation('inviteUser')
  async inviteUser(
    @CurrentPrincipal() principal: Principal,
    @Args('email') email: string,
    @Args('name') name: string,
    @Args('roles') wanted: string[],
  ) {
    return toGraphQLInvitation(
      await this.invitations.invite(principal, { email, name, roles: wanted.map(fromGraphQLRole) }),
    );
  }

  /** Open invitations of the caller's own tenant; no token is ever part of them. */
  @Query('invitations')
  async listInvitations(@CurrentPrincipal() principal: Principal) {
    return (await this.invitations.listOpen(principal.tenantId)).map(toGraphQLInvitation);
  }

  @Mutation('resendInvitation')
  async resendInvitation(@CurrentPrincipal() principal: Principal, @Args('id') id: string) {
    return toGraphQLInvitation(await this.invitations.resend(principal, id));
  }

  @Mutation('cancelInvitation')
  async cancelInvitation(@CurrentPrincipal() principal: Principal, @Args('id') id: string): Promise<boolean> {
    await this.invitations.cancel(principal, id);
    return true;
  }

  /** Public: the invitee has no account yet; the one-time token is the proof. */
  @Mutation('acceptInvitation')
  async acceptInvitation(@Args('token') token: string, @Args('password') password: string): Promise<LoginResult> {
    return this.invitations.accept(token, password);
  }

  @Mutation('createPasswordReset')
  async createPasswordReset(@CurrentPrincipal() principal: Principal, @Args('userId') userId: string) {
    const reset = await this.usersService.createPasswordReset(principal, userId);
    return { sentTo: reset.sentTo, expiresAt: reset.expiresAt.toISOString() };
  }

  /** Public: the user cannot sign in; the one-time token is the proof. */
  @Mutation('resetPassword')
  async resetPassword(@Args('token') token: string, @Args('password') password: string): Promise<boolean> {
    await this.usersService.resetPassword(token, password);
    return true;
  }

  @Mutation('disableUser')
  async disableUser(@CurrentPrincipal() principal: Principal, @Args('userId') userId: string) {
    return this.usersService.disable(principal, userId);
  }

  @Mutation('rotateSigningKey')
  async rotateSigningKey(): Promise<string> {
    return (await this.keys.rotate()).kid;
  }

  @ResolveField('roles')
  roles(@Parent() user: User) {
    return user.roles.map(toGraphQLRole);
  }

  @ResolveField('disabled')
  disabled(@Parent() user: User) {
    return user.disabledAt !== null;
  }

  @ResolveField('tenant')
  async tenant(@Parent() user: User) {
    return this.usersService.tenantOf(user);
  }

  @ResolveReference()
  // No parameter decorators here: Nest then passes federation's (reference, context) as they are.
  async resolveReference(ref: { id: string }, context: { req: RequestHeaders }) {
    const principal = await this.referencePrincipal.of(context.req);
    return this.usersService.ofTenant(principal.tenantId, ref.id);
  }
}

@Resolver('Tenant')
export class TenantResolver {
  constructor(
    private readonly users: UsersService,
    private readonly referencePrincipal: ReferencePrincipal,
  ) {}

  @ResolveReference()
  async resolveReference(ref: { id: string }, context: { req: RequestHeaders }) {
    const principal = await this.referencePrincipal.of(context.req);
    // Another tenant resolves to nothing, like a user of another tenant (errors here bypass the filter).
    if (ref.id !== principal.tenantId && !isProviderStaff(principal.roles)) {
      return null;
    }
    return this.users.tenant(ref.id);
  }
}

/** The GraphQL shape of an invitation (roles as enum values, instants as ISO 8601). */
export function toGraphQLInvitation(invitation: Invitation) {
  return {
    id: invitation.id,
    email: invitation.email,
    name: invitation.name,
    roles: invitation.roles.map(toGraphQLRole),
    invitedAt: invitation.invitedAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}
