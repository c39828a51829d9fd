import { Inject, Injectable } from '@nestjs/common';
import { badInput, DomainError, notFound, type Principal } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { CONFIG, type Config } from '../config';
import { LeasesService } from '../leases/leases.service';
import { IdentityRepository, type Tenant, type User } from './identity.repository';
import { passwordResetMail, tokenLink } from './mail-templates';
import { Mailer } from './mailer.service';
import { hashToken, newOneTimeToken } from './one-time-token';
import { hashPassword } from './password';
import { passwordProblem } from './password-policy';
import { RefreshTokens } from './refresh-tokens.service';
import { revokeAccess } from './revoke-access';

const invalidReset = () => new DomainError('INVALID_RESET_TOKEN');

/** A tenant's users as its admins manage them. Every method is scoped to the caller's tenant. */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identity: IdentityRepository,
    private readonly refreshTokens: RefreshTokens,
    private readonly leases: LeasesService,
    private readonly mailer: Mailer,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async list(tenantId: string): Promise<User[]> {
    return this.identity.users(this.dataSource.manager, tenantId);
  }

  /** The caller's own record. */
  async me(principal: Principal): Promise<User> {
    const user = await this.identity.user(this.dataSource.manager, principal.tenantId, principal.userId);
    if (!user) throw notFound('ownUser');
    return user;
  }

  /** A tenant by id, or null. */
  async tenant(tenantId: string): Promise<Tenant | null> {
    return (await this.identity.tenant(this.dataSource.manager, tenantId)) ?? null;
  }

  /** The tenant of a user (it always exists). */
  async tenantOf(user: User): Promise<Tenant> {
    return this.identity.existingTenant(this.dataSource.manager, user.tenantId);
  }

  /** A user of the caller's tenant, or null (federation: another tenant's user resolves to nothing). */
  async ofTenant(tenantId: string, userId: string): Promise<User | null> {
    return (await this.identity.user(this.dataSource.manager, tenantId, userId)) ?? null;
  }

  /**
   * Disables a user of the caller's tenant and ends their sessions and concurrent connections at
   * once (lease acquire and heartbeat also check `disabled_at`). Their access tokens are revoked
   * through `licensing.access-revocations.v1`: every service and the gateway refuse them within
   * moments, and the gateway closes their sockets.
   */
  async disable(principal: Principal, userId: string): Promise<User> {
    if (userId === principal.userId)
      throw badInput({ ja: '自分自身は無効にできません。', en: 'You cannot disable yourself.' });
    const user = await this.dataSource.transaction(async (m) => {
      const user = await this.identity.user(m, principal.tenantId, userId, true);
      if (!user) throw notFound('user');
      if (!user.disabledAt) {
        user.disabledAt = new Date();
        await this.identity.disableUser(m, user.tenantId, user.id, user.disabledAt);
      }
      await this.refreshTokens.revokeUser(m, principal.tenantId, user.id);
      await this.leases.endUserLeases(m, principal.tenantId, user.id);
      await revokeAccess(m, user.tenantId, user.id, 'user-disabled');
      return user;
    });
    this.leases.kickEvents();
    return user;
  }

  /**
   * A one-time reset link for a user of the caller's tenant, mailed to that user's own address:
   * the admin never sees the token, so a reset proves the mailbox. Only its hash is stored;
   * issuing a new one voids the older ones. When the mail cannot be handed over, nothing is kept.
   */
  async createPasswordReset(principal: Principal, userId: string): Promise<{ sentTo: string; expiresAt: Date }> {
    return this.dataSource.transaction(async (m) => {
      const user = await this.identity.user(m, principal.tenantId, userId);
      if (!user) throw notFound('user');
      await this.identity.voidPasswordResets(m, user.tenantId, user.id);
      const { token, hash } = newOneTimeToken();
      const expiresAt = await this.identity.insertPasswordReset(
        m,
        user.tenantId,
        user.id,
        hash,
        this.config.PASSWORD_RESET_TTL_SECONDS,
      );
      const tenant = await this.identity.existingTenant(m, user.tenantId);
      await this.mailer.send(
        passwordResetMail({
          to: user.email,
          name: user.name,
          link: tokenLink(this.mailer.publicUrl, 'reset-password', token),
          expiresAt,
          timeZone: tenant.timezone,
        }),
      );
      return { sentTo: user.email, expiresAt };
    });
  }

  /** Sets a new password with a reset token, once; every session of the user ends. */
  async resetPassword(token: string, password: string): Promise<void> {
    const problem = passwordProblem(password);
    if (problem) throw badInput(problem);
    const passwordHash = await hashPassword(password);
    await this.dataSource.transaction(async (m) => {
      const reset = await this.identity.spendPasswordReset(m, hashToken(token));
      if (!reset) throw invalidReset();
      await this.identity.setPasswordHash(m, reset.tenantId, reset.userId, passwordHash);
      await this.refreshTokens.revokeUser(m, reset.tenantId, reset.userId);
      await revokeAccess(m, reset.tenantId, reset.userId, 'password-reset');
    });
  }
}
