import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A refresh token as stored (`refresh_tokens`), without its hash. */
export interface RefreshTokenRecord {
  id: string;
  familyId: string;
  userId: string;
  tenantId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

const sql = {
  insert: `
    INSERT INTO refresh_tokens (family_id, tenant_id, user_id, token_hash, expires_at)
    VALUES ($1, $2, $3, $4, clock_timestamp() + make_interval(secs => $5))`,
  byHashForUpdate: `
    SELECT id, family_id AS "familyId", user_id AS "userId", tenant_id AS "tenantId", expires_at AS "expiresAt",
           used_at AS "usedAt", revoked_at AS "revokedAt"
    FROM refresh_tokens WHERE token_hash = $1
    FOR UPDATE`,
  markUsed: `UPDATE refresh_tokens SET used_at = clock_timestamp() WHERE id = $1`,
  revokeFamily: `UPDATE refresh_tokens SET revoked_at = clock_timestamp() WHERE family_id = $1 AND revoked_at IS NULL`,
  revokeByToken: `
    UPDATE refresh_tokens SET revoked_at = clock_timestamp()
    WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)`,
  revokeUser: `
    UPDATE refresh_tokens SET revoked_at = clock_timestamp()
    WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL`,
};

/** The statements for review (sql/*.repository.sql, written by test/sql-review.test.ts). */
export const refreshTokensSql: Record<string, string> = sql;

/**
 * Refresh tokens by family (one sign-in session). A token is found by its hash alone: it is the
 * proof, presented before anyone knows the tenant.
 */
@Injectable()
export class RefreshTokensRepository {
  async insert(
    m: EntityManager,
    tenantId: string,
    token: { userId: string; familyId: string; tokenHash: string },
    ttlSeconds: number,
  ): Promise<void> {
    await m.query(sql.insert, [token.familyId, tenantId, token.userId, token.tokenHash, ttlSeconds]);
  }

  async byHashForUpdate(m: EntityManager, tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const [row]: RefreshTokenRecord[] = await m.query(sql.byHashForUpdate, [tokenHash]);
    return row;
  }

  async markUsed(m: EntityManager, id: string): Promise<void> {
    await m.query(sql.markUsed, [id]);
  }

  async revokeFamily(m: EntityManager, familyId: string): Promise<void> {
    await m.query(sql.revokeFamily, [familyId]);
  }

  /** Revokes the family of the token with this hash; nothing for an unknown one. */
  async revokeByTokenHash(m: EntityManager, tokenHash: string): Promise<void> {
    await m.query(sql.revokeByToken, [tokenHash]);
  }

  async revokeUser(m: EntityManager, tenantId: string, userId: string): Promise<void> {
    await m.query(sql.revokeUser, [tenantId, userId]);
  }
}
