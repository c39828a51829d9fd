import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A pairing still waiting for an admin, as the admin sees it before approving. */
export interface PendingPairing {
  id: string;
  userId: string;
  pcName: string;
  requestedAt: Date;
  expiresAt: Date;
}

/** A pairing as its own PC polls it. */
export interface OwnPairing {
  id: string;
  secretHash: string;
  pcName: string;
  seatId: string | null;
  delivered: boolean;
  expired: boolean;
}

const PENDING = `id, user_id AS "userId", pc_name AS "pcName", requested_at AS "requestedAt", expires_at AS "expiresAt"`;

const sql = {
  requestedSince: `
    SELECT count(*)::int AS n FROM desktop_pairings
    WHERE tenant_id = $1 AND user_id = $2 AND requested_at > clock_timestamp() - make_interval(secs => $3)`,
  insert: `
    INSERT INTO desktop_pairings (tenant_id, user_id, code_hash, secret_hash, pc_name, expires_at)
    VALUES ($1, $2, $3, $4, $5, clock_timestamp() + make_interval(secs => $6))
    RETURNING id, expires_at AS "expiresAt"`,
  pendingByCode: `
    SELECT ${PENDING} FROM desktop_pairings
    WHERE tenant_id = $1 AND code_hash = $2 AND approved_at IS NULL AND expires_at > clock_timestamp()
    ORDER BY requested_at DESC LIMIT 1`,
  pendingByCodeForUpdate: `
    SELECT ${PENDING}, secret_hash AS "secretHash" FROM desktop_pairings
    WHERE tenant_id = $1 AND code_hash = $2 AND approved_at IS NULL AND expires_at > clock_timestamp()
    ORDER BY requested_at DESC LIMIT 1
    FOR UPDATE`,
  approve: `
    UPDATE desktop_pairings
       SET approved_at = clock_timestamp(), approved_by = $3, seat_id = $4,
           delivered_at = CASE WHEN $5::boolean THEN clock_timestamp() END
     WHERE tenant_id = $1 AND id = $2`,
  ownForUpdate: `
    SELECT id, secret_hash AS "secretHash", pc_name AS "pcName", seat_id AS "seatId",
           delivered_at IS NOT NULL AS delivered,
           approved_at IS NULL AND expires_at <= clock_timestamp() AS expired
      FROM desktop_pairings
     WHERE tenant_id = $1 AND id = $2 AND user_id = $3
     FOR UPDATE`,
  markDelivered: 'UPDATE desktop_pairings SET delivered_at = clock_timestamp() WHERE tenant_id = $1 AND id = $2',
};

/** The statements for review (sql/*.repository.sql, written by test/sql-review.test.ts). */
export const pairingSql: Record<string, string> = sql;

/** Desktop pairing requests (`desktop_pairings`). Every method is scoped to one tenant. */
@Injectable()
export class PairingRepository {
  /** How many pairings the user asked for in the last `seconds` (the per-user rate limit). */
  async requestedSince(m: EntityManager, tenantId: string, userId: string, seconds: number): Promise<number> {
    const [row]: { n: number }[] = await m.query(sql.requestedSince, [tenantId, userId, seconds]);
    return row?.n ?? 0;
  }

  async insert(
    m: EntityManager,
    tenantId: string,
    p: { userId: string; codeHash: string; secretHash: string; pcName: string; ttlSeconds: number },
  ): Promise<{ id: string; expiresAt: Date }> {
    const [row]: { id: string; expiresAt: Date }[] = await m.query(sql.insert, [
      tenantId,
      p.userId,
      p.codeHash,
      p.secretHash,
      p.pcName,
      p.ttlSeconds,
    ]);
    if (!row) throw new Error('pairing insert returned no row');
    return row;
  }

  /** The tenant's unexpired, unapproved pairing with this code (another tenant's is never found). */
  async pendingByCode(m: EntityManager, tenantId: string, codeHash: string): Promise<PendingPairing | undefined> {
    const [row]: PendingPairing[] = await m.query(sql.pendingByCode, [tenantId, codeHash]);
    return row;
  }

  /** The same, locked for approval (two admins approving one code: the second finds nothing). */
  async pendingByCodeForUpdate(
    m: EntityManager,
    tenantId: string,
    codeHash: string,
  ): Promise<(PendingPairing & { secretHash: string }) | undefined> {
    const [row]: (PendingPairing & { secretHash: string })[] = await m.query(sql.pendingByCodeForUpdate, [
      tenantId,
      codeHash,
    ]);
    return row;
  }

  async approve(
    m: EntityManager,
    tenantId: string,
    pairingId: string,
    by: { approvedBy: string; seatId: string; delivered: boolean },
  ): Promise<void> {
    await m.query(sql.approve, [tenantId, pairingId, by.approvedBy, by.seatId, by.delivered]);
  }

  /** The caller's own pairing, locked (the credential is delivered once). */
  async ownForUpdate(
    m: EntityManager,
    tenantId: string,
    pairingId: string,
    userId: string,
  ): Promise<OwnPairing | undefined> {
    const [row]: OwnPairing[] = await m.query(sql.ownForUpdate, [tenantId, pairingId, userId]);
    return row;
  }

  async markDelivered(m: EntityManager, tenantId: string, pairingId: string): Promise<void> {
    await m.query(sql.markDelivered, [tenantId, pairingId]);
  }
}
