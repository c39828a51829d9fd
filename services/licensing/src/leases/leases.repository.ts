import { Injectable } from '@nestjs/common';
import { CONNECTIONS_PER_PACK, DEFAULT_TIME_ZONE, INCLUDED_CONNECTIONS, MAX_CONNECTIONS } from '@thankstar/contracts';
import { preparedQuery } from '@thankstar/platform';
import type { EntityManager } from 'typeorm';
import type { LeaseDeviceKind } from './lease-request';

export type UsageKind = 'granted' | 'released' | 'expired' | 'ended-by-admin' | 'refused';

/** A live lease of a concurrent connection. */
export interface Lease {
  id: string;
  tenantId: string;
  userId: string;
  userName: string;
  deviceKind: LeaseDeviceKind;
  label: string;
  acquiredAt: Date;
  /** The live expiry (the slot's, moved on by heartbeats). */
  expiresAt: Date;
}

/** A grant or end recorded in `lease_usage`, with what its session event needs. */
export interface UnpublishedUsage {
  tenantId: string;
  leaseId: string;
  kind: UsageKind;
  at: Date;
  userId: string;
  deviceKind: LeaseDeviceKind;
}

export type AcquireResult =
  | { outcome: 'granted'; leaseId: string; expiresAt: Date }
  | { outcome: 'refused'; capacity: number; holders: Lease[] }
  | { outcome: 'user-disabled' }
  | { outcome: 'no-slots' };

export type ReleaseResult = 'ended' | 'already-ended' | 'not-found' | 'forbidden' | 'moved';

/** Capacity of the tenant given by the SQL expression `tenant` (capacity.ts, in SQL). */
const capacitySql = (tenant: string) =>
  `least(${MAX_CONNECTIONS}, ${INCLUDED_CONNECTIONS} + ${CONNECTIONS_PER_PACK} * coalesce((SELECT p.connection_packs FROM tenant_connection_packs p WHERE p.tenant_id = ${tenant}), 0))::int`;

/** Level change of each usage event: the running sum over a tenant's events is its live count. */
const DELTA = `CASE kind WHEN 'granted' THEN 1 WHEN 'refused' THEN 0 ELSE -1 END`;

/**
 * Leases live at `$2` of tenant `$1`: the level a usage series starts from. Desktop leases
 * (seat_id set) use the PC's seat, not a concurrent connection, and are left out.
 */
const LEVEL_AT = `SELECT count(*)::int AS n FROM leases
    WHERE tenant_id = $1 AND seat_id IS NULL AND acquired_at < $2 AND (ended_at IS NULL OR ended_at >= $2)`;

const DISABLED = (user: string) => `EXISTS (SELECT 1 FROM users u WHERE u.id = ${user} AND u.disabled_at IS NOT NULL)`;

/**
 * Ends the leases of the CTE `target` (tenant_id, slot, lease_id, expires_at; its slot rows
 * locked): frees the slots, ends the leases and records the usage events, all in the one
 * statement that contains these CTEs. A lease already past its expiry ends as `expired`, at
 * its expiry; otherwise with `reason` (SQL text expression, may use the lease as `l`) now.
 */
const endTargets = (reason: string) => `freed AS (
      UPDATE lease_slots s SET lease_id = NULL, expires_at = NULL
      FROM target t WHERE s.tenant_id = t.tenant_id AND s.slot = t.slot
      RETURNING t.lease_id, t.expires_at AS due, clock_timestamp() AS at
    ),
    ended AS (
      UPDATE leases l SET ended_at = least(f.due, f.at),
                          end_reason = CASE WHEN f.due <= f.at THEN 'expired' ELSE ${reason} END
      FROM freed f WHERE l.id = f.lease_id AND l.ended_at IS NULL
      RETURNING l.id, l.tenant_id, l.ended_at, l.end_reason
    ),
    recorded AS (
      INSERT INTO lease_usage (tenant_id, lease_id, kind, at, capacity, unpublished)
      SELECT e.tenant_id, e.id, CASE e.end_reason WHEN 'closed' THEN 'released' ELSE e.end_reason END,
             e.ended_at, ${capacitySql('e.tenant_id')}, true
      FROM ended e
    )`;

/**
 * The statements of LeasesRepository. The users table is identity's: acquire and extend check
 * `users.disabled_at` inside their one statement on purpose (a disable committing meanwhile must
 * not let a lease through, and the hot path has no round trip to spare), and `timezone` reads the
 * tenant's timezone (identity imports leases to end a disabled user's leases, so leases cannot
 * import identity back).
 */
const sql = {
  savePacks: `
    INSERT INTO tenant_connection_packs (tenant_id, connection_packs, contract_id, contract_version)
    VALUES ($1, $2, $3, $4)
    ON CONFLICT (tenant_id) DO UPDATE
      SET connection_packs = EXCLUDED.connection_packs, contract_id = EXCLUDED.contract_id,
          contract_version = EXCLUDED.contract_version, updated_at = now()
      WHERE tenant_connection_packs.contract_version < EXCLUDED.contract_version`,
  connectionPacks: 'SELECT connection_packs FROM tenant_connection_packs WHERE tenant_id = $1',
  createSlots: `
    INSERT INTO lease_slots (tenant_id, slot) SELECT $1, g FROM generate_series(1, ${MAX_CONNECTIONS}) g
    ON CONFLICT DO NOTHING`,
  acquire: `
    WITH cap AS (SELECT ${capacitySql('$1::uuid')} AS n),
    blocked AS MATERIALIZED (
      SELECT ${DISABLED('$2::uuid')} AS disabled,
             EXISTS (SELECT 1 FROM lease_slots WHERE tenant_id = $1 AND slot = 1) AS has_slots,
             EXISTS (SELECT 1 FROM lease_slots WHERE tenant_id = $1 AND slot > (SELECT n FROM cap)
                       AND expires_at > clock_timestamp()) AS over
    ),
    claimed AS MATERIALIZED (
      SELECT s.slot, s.lease_id AS old_lease, s.expires_at AS old_due
      FROM lease_slots s
      WHERE s.tenant_id = $1 AND s.slot <= (SELECT n FROM cap)
        AND (s.lease_id IS NULL OR s.expires_at <= clock_timestamp())
        AND (SELECT NOT (disabled OR over) FROM blocked)
      ORDER BY s.slot LIMIT 1
      FOR UPDATE OF s SKIP LOCKED
    ),
    granted AS (
      INSERT INTO leases (tenant_id, user_id, user_name, device_kind, label, acquired_at, expires_at, slot)
      SELECT $1, $2, $3, $4, $5, t.at, t.at + make_interval(secs => $6), c.slot
      FROM claimed c, LATERAL (SELECT clock_timestamp() AS at) t
      RETURNING id, slot, acquired_at, expires_at
    ),
    placed AS (
      UPDATE lease_slots s SET lease_id = g.id, expires_at = g.expires_at
      FROM granted g WHERE s.tenant_id = $1 AND s.slot = g.slot
    ),
    overdue AS (
      UPDATE leases l SET ended_at = c.old_due, end_reason = 'expired'
      FROM claimed c WHERE l.id = c.old_lease AND l.ended_at IS NULL
      RETURNING l.id, l.ended_at
    ),
    recorded AS (
      INSERT INTO lease_usage (tenant_id, lease_id, kind, at, capacity, unpublished)
      SELECT $1, id, 'expired', ended_at, (SELECT n FROM cap), true FROM overdue
      UNION ALL
      SELECT $1, id, 'granted', acquired_at, (SELECT n FROM cap), true FROM granted
      UNION ALL
      SELECT $1, NULL, 'refused', clock_timestamp(), (SELECT n FROM cap), false
      FROM blocked WHERE has_slots AND NOT disabled AND NOT EXISTS (SELECT 1 FROM claimed)
    )
    SELECT 'granted' AS part, g.id, g.acquired_at, g.expires_at, (SELECT n FROM cap) AS capacity,
           false AS disabled, true AS has_slots, NULL::json AS holders
    FROM granted g
    UNION ALL
    -- A refusal names every holder: one JSON array, not a row each (parsing up to 100 rows'
    -- timestamps in the driver cost more than the statement).
    SELECT 'status', NULL, NULL, NULL, (SELECT n FROM cap), b.disabled, b.has_slots,
           CASE WHEN b.has_slots AND NOT b.disabled THEN (
             SELECT coalesce(json_agg(json_build_object(
                      'id', l.id, 'user_id', l.user_id, 'user_name', l.user_name, 'device_kind', l.device_kind,
                      'label', l.label, 'acquired_at', l.acquired_at, 'expires_at', s.expires_at)
                    ORDER BY l.acquired_at, l.id), '[]'::json)
             FROM lease_slots s JOIN leases l ON l.id = s.lease_id
             WHERE s.tenant_id = $1 AND s.expires_at > clock_timestamp())
           END
    FROM blocked b WHERE NOT EXISTS (SELECT 1 FROM claimed)`,
  extend: `
    WITH d AS (SELECT ${DISABLED('$2::uuid')} AS disabled),
    x AS (
      UPDATE lease_slots s SET expires_at = clock_timestamp() + make_interval(secs => $4)
      FROM leases l
      WHERE l.id = $3 AND l.tenant_id = $1 AND l.user_id = $2 AND l.ended_at IS NULL
        AND s.tenant_id = $1 AND s.slot = l.slot AND s.lease_id = l.id AND s.expires_at > clock_timestamp()
        AND NOT (SELECT disabled FROM d)
      RETURNING s.slot
    )
    SELECT d.disabled, (SELECT count(*) FROM x)::int AS extended FROM d`,
  release: `
    WITH lease AS MATERIALIZED (SELECT id, user_id, slot, ended_at FROM leases WHERE id = $2 AND tenant_id = $1),
    target AS MATERIALIZED (
      SELECT s.tenant_id, s.slot, s.lease_id, s.expires_at
      FROM lease_slots s, lease l
      WHERE s.tenant_id = $1 AND s.slot = l.slot AND s.lease_id = l.id AND (l.user_id = $3 OR $4)
      FOR UPDATE OF s
    ),
    ${endTargets(`CASE WHEN l.user_id = $3 AND NOT $5::boolean THEN 'closed' ELSE 'ended-by-admin' END`)}
    SELECT l.user_id, l.ended_at IS NOT NULL AS was_ended, (SELECT count(*) FROM ended)::int AS ended_now
    FROM lease l`,
  endUserLeases: `
    WITH target AS MATERIALIZED (
      SELECT s.tenant_id, s.slot, s.lease_id, s.expires_at
      FROM lease_slots s JOIN leases l ON l.id = s.lease_id
      WHERE s.tenant_id = $1 AND l.user_id = $2
      FOR UPDATE OF s
    ),
    ${endTargets(`'ended-by-admin'`)}
    SELECT count(*)::int AS n FROM ended`,
  expireOverdue: `
    WITH target AS MATERIALIZED (
      SELECT tenant_id, slot, lease_id, expires_at FROM lease_slots
      WHERE lease_id IS NOT NULL AND expires_at <= clock_timestamp()
      ORDER BY expires_at LIMIT $1
      FOR UPDATE SKIP LOCKED
    ),
    ${endTargets(`'expired'`)}
    SELECT count(*)::int AS n FROM ended`,
  tenantsToCompact: `
    SELECT DISTINCT h.tenant_id FROM lease_slots h
    WHERE h.expires_at > clock_timestamp() AND h.slot > ${capacitySql('h.tenant_id')}
      AND EXISTS (SELECT 1 FROM lease_slots f WHERE f.tenant_id = h.tenant_id AND f.lease_id IS NULL
                    AND f.slot <= ${capacitySql('h.tenant_id')})`,
  lockSlots: `
    SELECT slot, lease_id, expires_at, ${capacitySql('$1::uuid')} AS capacity FROM lease_slots
    WHERE tenant_id = $1 ORDER BY slot FOR UPDATE`,
  moveLease: `
    WITH src AS (UPDATE lease_slots SET lease_id = NULL, expires_at = NULL WHERE tenant_id = $1 AND slot = $2),
    dst AS (UPDATE lease_slots SET lease_id = $4, expires_at = $5 WHERE tenant_id = $1 AND slot = $3)
    UPDATE leases SET slot = $3 WHERE id = $4`,
  live: `
    SELECT l.id, l.tenant_id, l.user_id, l.user_name, l.device_kind, l.label, l.acquired_at, s.expires_at
    FROM lease_slots s JOIN leases l ON l.id = s.lease_id
    WHERE s.tenant_id = $1 AND s.expires_at > clock_timestamp()
    ORDER BY l.acquired_at, l.id`,
  publisherLock: `SELECT pg_try_advisory_xact_lock(hashtext('licensing.lease-events')) AS ok`,
  takeUnpublished: `
    WITH batch AS (SELECT id FROM lease_usage WHERE unpublished ORDER BY id LIMIT $1),
    done AS (
      UPDATE lease_usage u SET unpublished = false FROM batch b WHERE u.id = b.id
      RETURNING u.id, u.tenant_id, u.lease_id, u.kind, u.at
    )
    SELECT d.tenant_id, d.lease_id, d.kind, d.at, l.user_id, l.device_kind
    FROM done d JOIN leases l ON l.id = d.lease_id ORDER BY d.id`,
  enqueueSessionEvents: `
    INSERT INTO outbox (topic, key, value)
    SELECT $1, k, v FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS x(k, v, i) ORDER BY i`,
  levelAt: LEVEL_AT,
  usageBetween: `
    WITH start AS (${LEVEL_AT})
    SELECT at, kind, ((SELECT n FROM start) + sum(${DELTA}) OVER (ORDER BY at, id))::int AS in_use
    FROM lease_usage WHERE tenant_id = $1 AND at >= $2 AND at < $3 ORDER BY at, id`,
  demandPeakSince: `
    WITH start AS (${LEVEL_AT}),
    ev AS (
      SELECT kind, (SELECT n FROM start) + sum(${DELTA}) OVER (ORDER BY at, id) AS level
      FROM lease_usage WHERE tenant_id = $1 AND at >= $2
    )
    SELECT greatest((SELECT n FROM start), coalesce(max(CASE WHEN kind = 'refused' THEN level + 1 ELSE level END), 0))::int
             AS peak,
           count(*) FILTER (WHERE kind = 'refused')::int AS refusals
    FROM ev`,
  timezone: 'SELECT timezone FROM tenants WHERE id = $1',
};

/** The statements for review (sql/*.repository.sql, written by test/sql-review.test.ts). */
export const leasesSql: Record<string, string> = sql;

/** The row shape of a lease in SQL (`live`, and the holders of a refusal). */
interface LeaseRow {
  id: string;
  user_id: string;
  user_name: string;
  device_kind: LeaseDeviceKind;
  label: string;
  acquired_at: Date;
  expires_at: Date;
}

const toLease = (tenantId: string, r: LeaseRow): Lease => ({
  id: r.id,
  tenantId,
  userId: r.user_id,
  userName: r.user_name,
  deviceKind: r.device_kind,
  label: r.label,
  acquiredAt: r.acquired_at,
  expiresAt: r.expires_at,
});

/**
 * All SQL of leases and their usage. Acquire, heartbeat and release are one statement each
 * (one round trip, no lock held between statements): a lease claims one of its tenant's slot
 * rows (`lease_slots`, numbered 1..100) with `FOR UPDATE SKIP LOCKED`, and only slots numbered
 * within the tenant's capacity can be claimed, so two clients never get the same slot and never
 * more than the capacity between them. The usage event goes into `lease_usage` in the same
 * statement; session events are published from there in batches (`takeUnpublished`).
 * Those three run as named prepared statements (`preparedQuery`): outside a transaction on a
 * connection taken from the pool for the one statement, so Postgres parses and plans each once
 * per pooled connection, not per call (planning the acquire statement alone took 3-7 ms on the
 * loaded dev machine).
 */
@Injectable()
export class LeasesRepository {
  async savePacks(
    m: EntityManager,
    tenantId: string,
    c: { contractId: string; version: number; packs: number },
  ): Promise<void> {
    await m.query(sql.savePacks, [tenantId, c.packs, c.contractId, c.version]);
  }

  async connectionPacks(m: EntityManager, tenantId: string): Promise<number> {
    const rows: { connection_packs: number }[] = await m.query(sql.connectionPacks, [tenantId]);
    return rows[0]?.connection_packs ?? 0;
  }

  /** The tenant's 100 slot rows; done once, before its first lease. */
  async createSlots(m: EntityManager, tenantId: string): Promise<void> {
    await m.query(sql.createSlots, [tenantId]);
  }

  /**
   * One statement: claims the lowest free slot within capacity (a slot whose lease is past its
   * expiry counts as free, and that lease is ended as expired), inserts the lease and its usage
   * event. Refused when no slot is free, or while a lease holds a slot above the capacity (after
   * packs were reduced; the sweeper moves such leases down), with the holders in the same answer.
   */
  async acquire(
    m: EntityManager,
    tenantId: string,
    lease: { userId: string; userName: string; deviceKind: LeaseDeviceKind; label: string; ttlSeconds: number },
  ): Promise<AcquireResult> {
    const rows = await preparedQuery<{
      part: 'granted' | 'status';
      id: string | null;
      acquired_at: Date | null;
      expires_at: Date | null;
      capacity: number;
      disabled: boolean;
      has_slots: boolean;
      /** The holders of a refusal, timestamps as JSON strings. */
      holders: Array<Omit<LeaseRow, 'acquired_at' | 'expires_at'> & { acquired_at: string; expires_at: string }> | null;
    }>(m, 'licensing.lease.acquire.v1', sql.acquire, [
      tenantId,
      lease.userId,
      lease.userName,
      lease.deviceKind,
      lease.label,
      lease.ttlSeconds,
    ]);
    const granted = rows.find((r) => r.part === 'granted');
    if (granted?.id && granted.expires_at) {
      return { outcome: 'granted', leaseId: granted.id, expiresAt: granted.expires_at };
    }
    const status = rows.find((r) => r.part === 'status');
    if (!status) throw new Error('lease acquire returned neither a lease nor a status');
    if (status.disabled) return { outcome: 'user-disabled' };
    if (!status.has_slots) return { outcome: 'no-slots' };
    const holders = (status.holders ?? []).map((h) =>
      toLease(tenantId, { ...h, acquired_at: new Date(h.acquired_at), expires_at: new Date(h.expires_at) }),
    );
    return { outcome: 'refused', capacity: status.capacity, holders };
  }

  /**
   * One statement: extends a live, unexpired lease of this user unless the user is disabled.
   * Only the slot row changes (a HOT update).
   */
  async extend(
    m: EntityManager,
    tenantId: string,
    userId: string,
    leaseId: string,
    ttlSeconds: number,
  ): Promise<'extended' | 'not-found' | 'user-disabled'> {
    const [row] = await preparedQuery<{ disabled: boolean; extended: number }>(
      m,
      'licensing.lease.extend.v1',
      sql.extend,
      [tenantId, userId, leaseId, ttlSeconds],
    );
    if (row?.disabled) return 'user-disabled';
    return row?.extended ? 'extended' : 'not-found';
  }

  /**
   * One statement: ends the lease if the caller holds it (or `mayEndOthers`): `closed` by its
   * holder, `ended-by-admin` by anybody else or `asAdmin`. `moved` means the
   * lease changed slot meanwhile (the sweeper compacting after a capacity cut): call again.
   */
  async release(
    m: EntityManager,
    tenantId: string,
    leaseId: string,
    caller: { userId: string; mayEndOthers: boolean; asAdmin: boolean },
  ): Promise<ReleaseResult> {
    const rows = await preparedQuery<{ user_id: string; was_ended: boolean; ended_now: number }>(
      m,
      'licensing.lease.release.v1',
      sql.release,
      [tenantId, leaseId, caller.userId, caller.mayEndOthers, caller.asAdmin],
    );
    const row = rows[0];
    if (!row) return 'not-found';
    if (row.user_id !== caller.userId && !caller.mayEndOthers) return 'forbidden';
    if (row.ended_now > 0) return 'ended';
    if (row.was_ended) return 'already-ended';
    return 'moved';
  }

  /** Ends every live slot lease of a user (disabled by an admin); desktop leases are DesktopLeasesRepository's. */
  async endUserLeases(m: EntityManager, tenantId: string, userId: string): Promise<number> {
    const [row]: { n: number }[] = await m.query(sql.endUserLeases, [tenantId, userId]);
    return row?.n ?? 0;
  }

  /** Ends up to `limit` leases (all tenants) whose heartbeat is overdue, as of their expiry. */
  async expireOverdue(m: EntityManager, limit: number): Promise<number> {
    const [row]: { n: number }[] = await m.query(sql.expireOverdue, [limit]);
    return row?.n ?? 0;
  }

  /** Tenants with a live lease in a slot above their capacity while a slot within it is free. */
  async tenantsToCompact(m: EntityManager): Promise<string[]> {
    const rows: { tenant_id: string }[] = await m.query(sql.tenantsToCompact);
    return rows.map((r) => r.tenant_id);
  }

  /**
   * Moves the tenant's leases held above its capacity into free slots within it, under a lock
   * of all its slots. Call in a transaction. Returns how many moved.
   */
  async compact(m: EntityManager, tenantId: string): Promise<number> {
    const slots: { slot: number; lease_id: string | null; expires_at: Date | null; capacity: number }[] = await m.query(
      sql.lockSlots,
      [tenantId],
    );
    const capacity = slots[0]?.capacity ?? 0;
    const free = slots.filter((s) => s.slot <= capacity && s.lease_id === null);
    const high = slots.filter((s) => s.slot > capacity && s.lease_id !== null).reverse();
    let moved = 0;
    for (const [i, from] of high.entries()) {
      const to = free[i];
      if (!to) break;
      await m.query(sql.moveLease, [tenantId, from.slot, to.slot, from.lease_id, from.expires_at]);
      moved++;
    }
    return moved;
  }

  async live(m: EntityManager, tenantId: string): Promise<Lease[]> {
    const rows: LeaseRow[] = await m.query(sql.live, [tenantId]);
    return rows.map((r) => toLease(tenantId, r));
  }

  /**
   * Marks up to `limit` grants and ends as published and returns them with what their session
   * event needs, oldest first. Call in a transaction that also writes them to the outbox;
   * a transaction-level advisory lock keeps one publisher at a time, so events stay in order.
   */
  async takeUnpublished(m: EntityManager, limit: number): Promise<UnpublishedUsage[]> {
    const [{ ok }] = await m.query(sql.publisherLock);
    if (!ok) return [];
    const rows: {
      tenant_id: string;
      lease_id: string;
      kind: UsageKind;
      at: Date;
      user_id: string;
      device_kind: LeaseDeviceKind;
    }[] = await m.query(sql.takeUnpublished, [limit]);
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      leaseId: r.lease_id,
      kind: r.kind,
      at: r.at,
      userId: r.user_id,
      deviceKind: r.device_kind,
    }));
  }

  /**
   * Writes session events (already validated JSON) to the platform's outbox in the caller's
   * transaction, in the given order: one insert, so the outbox NOTIFY fires once per batch.
   */
  async enqueueSessionEvents(
    m: EntityManager,
    topic: string,
    events: readonly { key: string; value: string }[],
  ): Promise<void> {
    await m.query(sql.enqueueSessionEvents, [topic, events.map((e) => e.key), events.map((e) => e.value)]);
  }

  /** Live leases of the tenant at `at` (granted before it, not ended before it). */
  async levelAt(m: EntityManager, tenantId: string, at: Date): Promise<number> {
    const [row]: { n: number }[] = await m.query(sql.levelAt, [tenantId, at]);
    return row?.n ?? 0;
  }

  /** Usage events in [from, to) with the live count right after each (the running sum). */
  async usageBetween(
    m: EntityManager,
    tenantId: string,
    from: Date,
    to: Date,
  ): Promise<{ at: Date; inUse: number; kind: UsageKind }[]> {
    const rows: { at: Date; in_use: number; kind: UsageKind }[] = await m.query(sql.usageBetween, [tenantId, from, to]);
    return rows.map((r) => ({ at: r.at, inUse: r.in_use, kind: r.kind }));
  }

  /** Highest demand since `from`: live leases reached, or one more than in use when someone was refused. */
  async demandPeakSince(m: EntityManager, tenantId: string, from: Date): Promise<{ peak: number; refusals: number }> {
    const [row]: { peak: number; refusals: number }[] = await m.query(sql.demandPeakSince, [tenantId, from]);
    return { peak: row?.peak ?? 0, refusals: row?.refusals ?? 0 };
  }

  async timezone(m: EntityManager, tenantId: string): Promise<string> {
    const rows: { timezone: string }[] = await m.query(sql.timezone, [tenantId]);
    return rows[0]?.timezone ?? DEFAULT_TIME_ZONE;
  }
}
