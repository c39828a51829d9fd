import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@thankstar/platform';
import type { EntityManager } from 'typeorm';
import { CONFIG, type Config } from '../config';
import { hashToken, newOneTimeToken } from './one-time-token';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { revokeAccess } from './revoke-access';

const invalidRefreshToken = () => new DomainError('INVALID_REFRESH_TOKEN');

/**
 * Rotating refresh tokens: each use returns a new token of the same family and spends the old
 * one. Presenting a spent token means it was copied, so the whole family is revoked.
 */
@Injectable()
export class RefreshTokens {
  constructor(
    private readonly tokens: RefreshTokensRepository,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async issue(
    m: EntityManager,
    user: { id: string; tenantId: string },
    familyId: string = randomUUID(),
  ): Promise<string> {
    const { token, hash } = newOneTimeToken();
    await this.tokens.insert(
      m,
      user.tenantId,
      { userId: user.id, familyId, tokenHash: hash },
      this.config.REFRESH_TOKEN_TTL_SECONDS,
    );
    return token;
  }

  /**
   * Spends `token` and returns its user and family. Throws when it is unknown, expired, revoked or
   * already spent (then the family is revoked, committed even though the caller gets an error).
   */
  async spend(
    m: EntityManager,
    token: string,
  ): Promise<{ userId: string; tenantId: string; familyId: string } | { reused: true }> {
    const row = await this.tokens.byHashForUpdate(m, hashToken(token));
    if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) throw invalidRefreshToken();
    if (row.usedAt) {
      // Someone holds a copy: end the session, and with it the access tokens it minted (their
      // `sid` is the family id), not only its refresh tokens — else they stay valid 15 minutes.
      await this.revokeFamily(m, row.familyId);
      await revokeAccess(m, row.tenantId, row.userId, 'refresh-token-reused', row.familyId);
      return { reused: true };
    }
    await this.tokens.markUsed(m, row.id);
    return { userId: row.userId, tenantId: row.tenantId, familyId: row.familyId };
  }

  async revokeFamily(m: EntityManager, familyId: string): Promise<void> {
    await this.tokens.revokeFamily(m, familyId);
  }

  async revokeByToken(m: EntityManager, token: string): Promise<void> {
    await this.tokens.revokeByTokenHash(m, hashToken(token));
  }

  async revokeUser(m: EntityManager, tenantId: string, userId: string): Promise<void> {
    await this.tokens.revokeUser(m, tenantId, userId);
  }
}

export { invalidRefreshToken };
