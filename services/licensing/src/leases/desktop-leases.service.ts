import { Injectable } from '@nestjs/common';
import { isUuid, SESSIONS_TOPIC, type SessionPayload } from '@thankstar/contracts';
import { DomainError, enqueueEvent, type Principal } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { leaseNotFound, leaseOfDisabledUser, userDisabled } from './lease.errors';
import { MAX_LABEL_LENGTH } from './lease-request';
import { leaseSettings } from './lease-settings';

export const seatNotRegistered = () => new DomainError('SEAT_NOT_REGISTERED');

export const seatOfAnotherUser = () => new DomainError('SEAT_OF_ANOTHER_USER');

export interface DesktopLeaseRequest {
  deviceId: string;
  label: string;
}

/** Checks the body of `POST /v1/desktop-leases`: `{deviceId, label?}`. */
export function parseDesktopLeaseRequest(
  body: unknown,
): { ok: true; value: DesktopLeaseRequest } | { ok: false; message: string } {
  if (typeof body !== 'object' || body === null) return { ok: false, message: 'Send a JSON body {deviceId, label}.' };
  const { deviceId, label = 'Desktop client' } = body as Record<string, unknown>;
  if (typeof deviceId !== 'string' || deviceId.trim() === '' || deviceId.length > 200) {
    return { ok: false, message: 'deviceId must be the PC’s registered device id (1 to 200 characters).' };
  }
  if (typeof label !== 'string' || label.trim() === '' || label.length > MAX_LABEL_LENGTH) {
    return { ok: false, message: `label must be a non-empty text of at most ${MAX_LABEL_LENGTH} characters.` };
  }
  return { ok: true, value: { deviceId: deviceId.trim(), label: label.trim() } };
}

interface EndedLease {
  id: string;
  tenant_id: string;
  user_id: string;
  ended_at: Date;
  end_reason: 'closed' | 'expired' | 'ended-by-admin';
}

/**
 * Leases of running desktop clients. A desktop client uses its PC's seat licence, never a
 * concurrent connection, so these leases take no slot (`lease_slots`) and leave the usage series
 * alone; they exist so that a running desktop is presence like any other client (docs/product-rules.md#nobody-in): the
 * same `connected` / `disconnected` facts on licensing.sessions.v1, the same heartbeats and
 * expiry. One live desktop lease per seat: a newer connection of the PC replaces the older, whose
 * next heartbeat then fails and the gateway closes it (LEASE_ENDED).
 */
@Injectable()
export class DesktopLeasesService {
  constructor(private readonly dataSource: DataSource) {}

  async acquire(
    principal: Principal,
    request: DesktopLeaseRequest,
  ): Promise<{ leaseId: string; expiresAt: string; heartbeatSeconds: number; replaced: string[] }> {
    return this.dataSource.transaction(async (m) => {
      // The seat row lock serialises two connections of one PC (and a deregistration).
      const [seat]: { id: string; user_id: string }[] = await m.query(
        `SELECT id, user_id FROM seats WHERE tenant_id = $1 AND device_id = $2 AND deregistered_at IS NULL FOR UPDATE`,
        [principal.tenantId, request.deviceId],
      );
      if (!seat) throw seatNotRegistered();
      // A seat is bound to its user: another user's token cannot use this PC's licence.
      if (seat.user_id !== principal.userId) throw seatOfAnotherUser();
      const [user]: { disabled: boolean }[] = await m.query(
        'SELECT disabled_at IS NOT NULL AS disabled FROM users WHERE id = $1 AND tenant_id = $2',
        [principal.userId, principal.tenantId],
      );
      if (!user || user.disabled) throw userDisabled();
      const replaced: EndedLease[] = await m.query(
        `WITH u AS (UPDATE leases SET ended_at = least(expires_at, clock_timestamp()),
                           end_reason = CASE WHEN expires_at <= clock_timestamp() THEN 'expired' ELSE 'closed' END
          WHERE seat_id = $1 AND ended_at IS NULL
          RETURNING id, tenant_id, user_id, ended_at, end_reason) SELECT * FROM u`,
        [seat.id],
      );
      const [lease]: { id: string; acquired_at: Date; expires_at: Date }[] = await m.query(
        `INSERT INTO leases (tenant_id, user_id, user_name, device_kind, label, acquired_at, expires_at, seat_id)
         SELECT $1, $2, $3, 'desktop', $4, t.at, t.at + make_interval(secs => $5), $6
           FROM (SELECT clock_timestamp() AS at) t
         RETURNING id, acquired_at, expires_at`,
        [principal.tenantId, principal.userId, principal.name ?? '', request.label, leaseSettings.ttlSeconds, seat.id],
      );
      if (!lease) throw new Error('desktop lease insert returned no row');
      await this.publishEnds(m, replaced);
      await this.publish(m, principal.tenantId, {
        kind: 'connected',
        leaseId: lease.id,
        userId: principal.userId,
        deviceKind: 'desktop',
        at: lease.acquired_at.toISOString(),
      });
      return {
        leaseId: lease.id,
        expiresAt: lease.expires_at.toISOString(),
        heartbeatSeconds: leaseSettings.heartbeatSeconds,
        replaced: replaced.map((r) => r.id),
      };
    });
  }

  /** Extends a live desktop lease of the caller while its seat is still registered. */
  async heartbeat(principal: Principal, leaseId: string): Promise<void> {
    if (!isUuid(leaseId)) throw leaseNotFound();
    const [row]: { disabled: boolean; extended: number }[] = await this.dataSource.query(
      `WITH d AS (SELECT EXISTS (SELECT 1 FROM users u WHERE u.id = $2 AND u.disabled_at IS NOT NULL) AS disabled),
       x AS (
         UPDATE leases l SET expires_at = clock_timestamp() + make_interval(secs => $4)
          WHERE l.id = $3 AND l.tenant_id = $1 AND l.user_id = $2 AND l.seat_id IS NOT NULL AND l.ended_at IS NULL
            AND l.expires_at > clock_timestamp() AND NOT (SELECT disabled FROM d)
            AND EXISTS (SELECT 1 FROM seats s WHERE s.id = l.seat_id AND s.deregistered_at IS NULL)
         RETURNING l.id
       )
       SELECT d.disabled, (SELECT count(*) FROM x)::int AS extended FROM d`,
      [principal.tenantId, principal.userId, leaseId, leaseSettings.ttlSeconds],
    );
    if (row?.disabled) throw leaseOfDisabledUser();
    if (!row?.extended) throw leaseNotFound();
  }

  /** The holder closes its desktop lease; closing one already ended succeeds (a retried close). */
  async release(principal: Principal, leaseId: string): Promise<void> {
    if (!isUuid(leaseId)) throw leaseNotFound();
    await this.dataSource.transaction(async (m) => {
      const [lease]: { ended: boolean }[] = await m.query(
        `SELECT ended_at IS NOT NULL AS ended FROM leases
          WHERE id = $1 AND tenant_id = $2 AND user_id = $3 AND seat_id IS NOT NULL FOR UPDATE`,
        [leaseId, principal.tenantId, principal.userId],
      );
      if (!lease) throw leaseNotFound();
      if (lease.ended) return;
      const ended: EndedLease[] = await m.query(
        `WITH u AS (UPDATE leases SET ended_at = least(expires_at, clock_timestamp()),
                           end_reason = CASE WHEN expires_at <= clock_timestamp() THEN 'expired' ELSE 'closed' END
          WHERE id = $1 AND ended_at IS NULL RETURNING id, tenant_id, user_id, ended_at, end_reason) SELECT * FROM u`,
        [leaseId],
      );
      await this.publishEnds(m, ended);
    });
  }

  /** Ends desktop leases whose client stopped heartbeating, as of their expiry; returns how many. */
  async expireOverdue(limit = 500): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const ended: EndedLease[] = await m.query(
        `WITH u AS (UPDATE leases l SET ended_at = l.expires_at, end_reason = 'expired'
          WHERE l.id IN (SELECT id FROM leases
                          WHERE seat_id IS NOT NULL AND ended_at IS NULL AND expires_at <= clock_timestamp()
                          ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING l.id, l.tenant_id, l.user_id, l.ended_at, l.end_reason) SELECT * FROM u`,
        [limit],
      );
      await this.publishEnds(m, ended);
      return ended.length;
    });
  }

  private publishEnds(m: EntityManager, ended: readonly EndedLease[]): Promise<void> {
    return publishEnds(m, ended);
  }

  private publish(m: EntityManager, tenantId: string, payload: SessionPayload): Promise<void> {
    return publish(m, tenantId, payload);
  }
}

/**
 * Ends every live desktop lease of a user (disabled by an admin) in the caller's transaction,
 * with their `disconnected` events; LeasesRepository.endUserLeases calls it beside the slot leases.
 */
export async function endUserDesktopLeases(m: EntityManager, tenantId: string, userId: string): Promise<number> {
  const ended: EndedLease[] = await m.query(
    `WITH u AS (UPDATE leases SET ended_at = least(expires_at, clock_timestamp()),
                       end_reason = CASE WHEN expires_at <= clock_timestamp() THEN 'expired' ELSE 'ended-by-admin' END
      WHERE tenant_id = $1 AND user_id = $2 AND seat_id IS NOT NULL AND ended_at IS NULL
      RETURNING id, tenant_id, user_id, ended_at, end_reason) SELECT * FROM u`,
    [tenantId, userId],
  );
  await publishEnds(m, ended);
  return ended.length;
}

// Desktop leases are few (one per PC and connection), so their events go straight to the outbox
// in the lease's own transaction rather than through lease_usage's batches.
async function publishEnds(m: EntityManager, ended: readonly EndedLease[]): Promise<void> {
  for (const e of ended) {
    await publish(m, e.tenant_id, {
      kind: 'disconnected',
      leaseId: e.id,
      userId: e.user_id,
      reason: e.end_reason,
      deviceKind: 'desktop',
      at: e.ended_at.toISOString(),
    });
  }
}

async function publish(m: EntityManager, tenantId: string, payload: SessionPayload): Promise<void> {
  await enqueueEvent(m, { topic: SESSIONS_TOPIC, key: tenantId, tenantId, occurredAt: new Date(payload.at), payload });
}
