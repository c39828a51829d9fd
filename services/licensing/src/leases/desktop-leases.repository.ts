import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A desktop lease that has just ended, with what its `disconnected` event needs. */
export interface EndedDesktopLease {
  id: string;
  tenantId: string;
  userId: string;
  endedAt: Date;
  endReason: 'closed' | 'expired' | 'ended-by-admin' | 'revoked';
}

const ENDED = `id, tenant_id AS "tenantId", user_id AS "userId", ended_at AS "endedAt", end_reason AS "endReason"`;

/**
 * The statements of DesktopLeasesRepository. `seats` is the seats feature's table and `users`
 * identity's: a desktop lease locks its seat row and checks its user in its own transaction or
 * statement (seats and identity depend on leases through identity, so leases reads them here).
 */
const sql = {
  userDisabled: 'SELECT disabled_at IS NOT NULL AS disabled FROM users WHERE id = $2 AND tenant_id = $1',
  endLeasesOfSeat: `
    WITH u AS (
      UPDATE leases SET ended_at = least(expires_at, clock_timestamp()),
                        end_reason = CASE WHEN expires_at <= clock_timestamp() THEN 'expired' ELSE 'closed' END
      WHERE tenant_id = $1 AND seat_id = $2 AND ended_at IS NULL
      RETURNING *
    )
    SELECT ${ENDED} FROM u`,
  revokeLeasesOfSeat: `
    WITH u AS (
      UPDATE leases SET ended_at = least(expires_at, clock_timestamp()),
                        end_reason = CASE WHEN expires_at <= clock_timestamp() THEN 'expired' ELSE 'revoked' END
      WHERE tenant_id = $1 AND seat_id = $2 AND ended_at IS NULL
      RETURNING *
    )
    SELECT ${ENDED} FROM u`,
  liveSeatByCredentialForUpdate: `
    WITH s AS (
      UPDATE seats SET credential_used_at = clock_timestamp()
      WHERE tenant_id = $1 AND credential_hash = $2 AND user_id = $3 AND deregistered_at IS NULL
      RETURNING id, user_id
    )
    SELECT id, user_id AS "userId" FROM s`,
  insert: `
    INSERT INTO leases (tenant_id, user_id, user_name, device_kind, label, acquired_at, expires_at, seat_id)
    SELECT $1, $2, $3, 'desktop', $4, t.at, t.at + make_interval(secs => $5), $6
      FROM (SELECT clock_timestamp() AS at) t
    RETURNING id, acquired_at AS "acquiredAt", expires_at AS "expiresAt"`,
  extend: `
    WITH d AS (SELECT EXISTS (SELECT 1 FROM users u WHERE u.id = $2 AND u.disabled_at IS NOT NULL) AS disabled),
    x AS (
      UPDATE leases l SET expires_at = clock_timestamp() + make_interval(secs => $4)
       WHERE l.id = $3 AND l.tenant_id = $1 AND l.user_id = $2 AND l.seat_id IS NOT NULL AND l.ended_at IS NULL
         AND l.expires_at > clock_timestamp() AND NOT (SELECT disabled FROM d)
         AND EXISTS (SELECT 1 FROM seats s WHERE s.id = l.seat_id AND s.deregistered_at IS NULL)
      RETURNING l.id
    )
    SELECT d.disabled, (SELECT count(*) FROM x)::int AS extended,
           EXISTS (SELECT 1 FROM leases r WHERE r.id = $3 AND r.tenant_id = $1 AND r.user_id = $2
                      AND r.end_reason = 'revoked') AS revoked
      FROM d`,
  ownForUpdate: `
    SELECT ended_at IS NOT NULL AS ended FROM leases
    WHERE id = $2 AND tenant_id = $1 AND user_id = $3 AND seat_id IS NOT NULL
    FOR UPDATE`,
  close: `
    WITH u AS (
      UPDATE leases SET ended_at = least(expires_at, clock_timestamp()),
                        end_reason = CASE WHEN expires_at <= clock_timestamp() THEN 'expired' ELSE 'closed' END
      WHERE tenant_id = $1 AND id = $2 AND ended_at IS NULL
      RETURNING *
    )
    SELECT ${ENDED} FROM u`,
  expireOverdue: `
    WITH u AS (
      UPDATE leases l SET ended_at = l.expires_at, end_reason = 'expired'
      WHERE l.id IN (SELECT id FROM leases
                      WHERE seat_id IS NOT NULL AND ended_at IS NULL AND expires_at <= clock_timestamp()
                      ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING l.*
    )
    SELECT ${ENDED} FROM u`,
  endUserLeases: `
    WITH u AS (
      UPDATE leases SET ended_at = least(expires_at, clock_timestamp()),
                        end_reason = CASE WHEN expires_at <= clock_timestamp() THEN 'expired' ELSE 'ended-by-admin' END
      WHERE tenant_id = $1 AND user_id = $2 AND seat_id IS NOT NULL AND ended_at IS NULL
      RETURNING *
    )
    SELECT ${ENDED} FROM u`,
};

/** The statements for review (sql/*.repository.sql, written by test/sql-review.test.ts). */
export const desktopLeasesSql: Record<string, string> = sql;

/**
 * Leases of running desktop clients (`leases` rows with `seat_id` set): no slot, no usage row.
 * Every method but `expireOverdue` (the sweeper's, all tenants) is scoped to one tenant.
 */
@Injectable()
export class DesktopLeasesRepository {
  /**
   * The live seat of this user holding this device credential (its hash) in the tenant, locked
   * (serialises two connections of one PC and a revocation), its last use noted; undefined for an
   * unknown or revoked credential, one of another tenant, or one copied to another user.
   */
  async liveSeatByCredentialForUpdate(
    m: EntityManager,
    tenantId: string,
    credentialHash: string,
    userId: string,
  ): Promise<{ id: string; userId: string } | undefined> {
    const [seat]: { id: string; userId: string }[] = await m.query(sql.liveSeatByCredentialForUpdate, [
      tenantId,
      credentialHash,
      userId,
    ]);
    return seat;
  }

  /** Ends the seat's live lease because its PC was revoked. */
  async revokeLeasesOfSeat(m: EntityManager, tenantId: string, seatId: string): Promise<EndedDesktopLease[]> {
    return m.query(sql.revokeLeasesOfSeat, [tenantId, seatId]);
  }

  /** Whether the user is disabled; undefined when the tenant has no such user. */
  async userDisabled(m: EntityManager, tenantId: string, userId: string): Promise<boolean | undefined> {
    const [user]: { disabled: boolean }[] = await m.query(sql.userDisabled, [tenantId, userId]);
    return user?.disabled;
  }

  /** Ends the seat's live lease (replaced by a newer connection of the PC). */
  async endLeasesOfSeat(m: EntityManager, tenantId: string, seatId: string): Promise<EndedDesktopLease[]> {
    return m.query(sql.endLeasesOfSeat, [tenantId, seatId]);
  }

  async insert(
    m: EntityManager,
    tenantId: string,
    lease: { userId: string; userName: string; label: string; ttlSeconds: number; seatId: string },
  ): Promise<{ id: string; acquiredAt: Date; expiresAt: Date }> {
    const [row]: { id: string; acquiredAt: Date; expiresAt: Date }[] = await m.query(sql.insert, [
      tenantId,
      lease.userId,
      lease.userName,
      lease.label,
      lease.ttlSeconds,
      lease.seatId,
    ]);
    if (!row) throw new Error('desktop lease insert returned no row');
    return row;
  }

  /**
   * One statement: extends a live desktop lease of the user while its seat is registered and the
   * user enabled; 'revoked' when the lease ended because its PC was revoked.
   */
  async extend(
    m: EntityManager,
    tenantId: string,
    userId: string,
    leaseId: string,
    ttlSeconds: number,
  ): Promise<'extended' | 'not-found' | 'user-disabled' | 'revoked'> {
    const [row]: { disabled: boolean; extended: number; revoked: boolean }[] = await m.query(sql.extend, [
      tenantId,
      userId,
      leaseId,
      ttlSeconds,
    ]);
    if (row?.disabled) return 'user-disabled';
    if (row?.revoked) return 'revoked';
    return row?.extended ? 'extended' : 'not-found';
  }

  /** The user's own desktop lease, locked: whether it has ended; undefined when there is none. */
  async ownForUpdate(
    m: EntityManager,
    tenantId: string,
    leaseId: string,
    userId: string,
  ): Promise<{ ended: boolean } | undefined> {
    const [lease]: { ended: boolean }[] = await m.query(sql.ownForUpdate, [tenantId, leaseId, userId]);
    return lease;
  }

  /** Ends the lease as closed by its holder (expired, as of its expiry, when already past it). */
  async close(m: EntityManager, tenantId: string, leaseId: string): Promise<EndedDesktopLease[]> {
    return m.query(sql.close, [tenantId, leaseId]);
  }

  /** Ends up to `limit` desktop leases (all tenants) whose client stopped heartbeating, as of their expiry. */
  async expireOverdue(m: EntityManager, limit: number): Promise<EndedDesktopLease[]> {
    return m.query(sql.expireOverdue, [limit]);
  }

  /** Ends every live desktop lease of a user (disabled by an admin). */
  async endUserLeases(m: EntityManager, tenantId: string, userId: string): Promise<EndedDesktopLease[]> {
    return m.query(sql.endUserLeases, [tenantId, userId]);
  }
}
