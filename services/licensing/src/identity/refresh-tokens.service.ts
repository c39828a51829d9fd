import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@thankstar/platform';
import type { EntityManager } from 'typeorm';
import { hashToken, newOneTimeToken } from './one-time-token';
import { revokeAccess } from './revoke-access';

export const REFRESH_TOKEN_TTL_SECONDS = Number(process.env.REFRESH_TOKEN_TTL_SECONDS ?? 30 * 86_400);

const invalidRefreshToken = () => new DomainError('INVALID_REFRESH_TOKEN');

interface RefreshRow {
  id: string;
  family_id: string;
  user_id: string;
  tenant_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/**
 * Rotating refresh tokens: each use returns a new token of the same family and spends the old
 * one. Presenting a spent token means it was copied, so the whole family is revoked.
 */
@Injectable()
export class RefreshTokens {
  async issue(
    m: EntityManager,
    user: { id: string; tenantId: string },
    familyId: string = randomUUID(),
  ): Promise<string> {
    const { token, hash } = newOneTimeToken();
    await m.query(
      `INSERT INTO refresh_tokens (family_id, tenant_id, user_id, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, clock_timestamp() + make_interval(secs => $5))`,
      [familyId, user.tenantId, user.id, hash, REFRESH_TOKEN_TTL_SECONDS],
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
    const rows: RefreshRow[] = await m.query('SELECT * FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE', [
      hashToken(token),
    ]);
    const row = rows[0];
    if (!row || row.revoked_at || row.expires_at.getTime() <= Date.now()) throw invalidRefreshToken();
    if (row.used_at) {
      // Someone holds a copy: end the session, and with it the access tokens it minted (their
      // `sid` is the family id), not only its refresh tokens — else they stay valid 15 minutes.
      await this.revokeFamily(m, row.family_id);
      await revokeAccess(m, row.tenant_id, row.user_id, 'refresh-token-reused', row.family_id);
      return { reused: true };
    }
    await m.query('UPDATE refresh_tokens SET used_at = clock_timestamp() WHERE id = $1', [row.id]);
    return { userId: row.user_id, tenantId: row.tenant_id, familyId: row.family_id };
  }

  async revokeFamily(m: EntityManager, familyId: string): Promise<void> {
    await m.query(
      'UPDATE refresh_tokens SET revoked_at = clock_timestamp() WHERE family_id = $1 AND revoked_at IS NULL',
      [familyId],
    );
  }

  async revokeByToken(m: EntityManager, token: string): Promise<void> {
    await m.query(
      `UPDATE refresh_tokens SET revoked_at = clock_timestamp()
       WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)`,
      [hashToken(token)],
    );
  }

  async revokeUser(m: EntityManager, tenantId: string, userId: string): Promise<void> {
    await m.query(
      'UPDATE refresh_tokens SET revoked_at = clock_timestamp() WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL',
      [tenantId, userId],
    );
  }
}

export { invalidRefreshToken };
