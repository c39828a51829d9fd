import { Injectable } from '@nestjs/common';
import { badInput, DomainError, notFound, type Principal } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { LeaseEventsPublisher } from '../leases/lease-events.publisher';
import { LeasesRepository } from '../leases/leases.repository';
import { passwordResetMail, tokenLink } from './mail-templates';
import { Mailer } from './mailer.service';
import { hashToken, newOneTimeToken } from './one-time-token';
import { hashPassword } from './password';
import { passwordProblem } from './password-policy';
import { RefreshTokens } from './refresh-tokens.service';
import { revokeAccess } from './revoke-access';
import { TenantEntity } from './tenant.entity';
import { UserEntity } from './user.entity';

export const PASSWORD_RESET_TTL_SECONDS = Number(process.env.PASSWORD_RESET_TTL_SECONDS ?? 3600);

const invalidReset = () => new DomainError('INVALID_RESET_TOKEN');

/** A tenant's users as its admins manage them. Every method is scoped to the caller's tenant. */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly refreshTokens: RefreshTokens,
    private readonly leases: LeasesRepository,
    private readonly leaseEvents: LeaseEventsPublisher,
    private readonly mailer: Mailer,
  ) {}

  async list(tenantId: string): Promise<UserEntity[]> {
    return this.dataSource.manager.find(UserEntity, { where: { tenantId }, order: { createdAt: 'ASC' } });
  }

  /**
   * Disables a user of the caller's tenant and ends their sessions and concurrent connections at
   * once (lease acquire and heartbeat also check `disabled_at`). Their access tokens are revoked
   * through `licensing.access-revocations.v1`: every service and the gateway refuse them within
   * moments, and the gateway closes their sockets.
   */
  async disable(principal: Principal, userId: string): Promise<UserEntity> {
    if (userId === principal.userId)
      throw badInput({ ja: '自分自身は無効にできません。', en: 'You cannot disable yourself.' });
    const user = await this.dataSource.transaction(async (m) => {
      const user = await m.findOne(UserEntity, {
        where: { id: userId, tenantId: principal.tenantId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!user) throw notFound('user');
      if (!user.disabledAt) {
        user.disabledAt = new Date();
        await m.save(user);
      }
      await this.refreshTokens.revokeUser(m, principal.tenantId, user.id);
      await this.leases.endUserLeases(m, principal.tenantId, user.id);
      await revokeAccess(m, user.tenantId, user.id, 'user-disabled');
      return user;
    });
    this.leaseEvents.kick(0);
    return user;
  }

  /**
   * A one-time reset link for a user of the caller's tenant, mailed to that user's own address:
   * the admin never sees the token, so a reset proves the mailbox. Only its hash is stored;
   * issuing a new one voids the older ones. When the mail cannot be handed over, nothing is kept.
   */
  async createPasswordReset(principal: Principal, userId: string): Promise<{ sentTo: string; expiresAt: Date }> {
    return this.dataSource.transaction(async (m) => {
      const user = await m.findOne(UserEntity, { where: { id: userId, tenantId: principal.tenantId } });
      if (!user) throw notFound('user');
      await m.query('UPDATE password_resets SET used_at = clock_timestamp() WHERE user_id = $1 AND used_at IS NULL', [
        user.id,
      ]);
      const { token, hash } = newOneTimeToken();
      const [row] = await m.query(
        `INSERT INTO password_resets (tenant_id, user_id, token_hash, expires_at)
         VALUES ($1, $2, $3, clock_timestamp() + make_interval(secs => $4)) RETURNING expires_at`,
        [user.tenantId, user.id, hash, PASSWORD_RESET_TTL_SECONDS],
      );
      const tenant = await m.findOneByOrFail(TenantEntity, { id: user.tenantId });
      await this.mailer.send(
        passwordResetMail({
          to: user.email,
          name: user.name,
          link: tokenLink(this.mailer.publicUrl, 'reset-password', token),
          expiresAt: row.expires_at,
          timeZone: tenant.timezone,
        }),
      );
      return { sentTo: user.email, expiresAt: row.expires_at };
    });
  }

  /** Sets a new password with a reset token, once; every session of the user ends. */
  async resetPassword(token: string, password: string): Promise<void> {
    const problem = passwordProblem(password);
    if (problem) throw badInput(problem);
    const passwordHash = await hashPassword(password);
    await this.dataSource.transaction(async (m) => {
      const [reset] = await m
        .query(
          `UPDATE password_resets SET used_at = clock_timestamp()
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > clock_timestamp() RETURNING user_id, tenant_id`,
          [hashToken(token)],
        )
        .then(([rows]: [{ user_id: string; tenant_id: string }[]]) => rows);
      if (!reset) throw invalidReset();
      await m.update(UserEntity, { id: reset.user_id, tenantId: reset.tenant_id }, { passwordHash });
      await this.refreshTokens.revokeUser(m, reset.tenant_id, reset.user_id);
      await revokeAccess(m, reset.tenant_id, reset.user_id, 'password-reset');
    });
  }
}
