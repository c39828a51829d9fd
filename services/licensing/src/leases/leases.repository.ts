import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { LeaseDeviceKind } from './lease-request';

export type LeaseEndReason = 'closed' | 'expired' | 'ended-by-admin';
export type UsageKind = 'granted' | 'released' | 'expired' | 'ended-by-admin' | 'refused';

export interface LeaseRow {
  id: string;
  tenant_id: string;
  user_id: string;
  user_name: string;
  device_kind: LeaseDeviceKind;
  label: string;
  acquired_at: Date;
  expires_at: Date;
  ended_at: Date | null;
}

/** All SQL of leases and their usage. Every method takes the tenant first. */
@Injectable()
export class LeasesRepository {
  /**
   * Serialises every change of one tenant's leases until the transaction ends. Counting and
   * inserting under this lock is what makes the capacity check race-free.
   */
  async lockTenant(m: EntityManager, tenantId: string): Promise<Date> {
    // clock_timestamp, not now(): now() is when the transaction began, possibly long before the lock.
    // The select list runs left to right, so the time is read once the lock is held.
    const [{ at }] = await m.query('SELECT pg_advisory_xact_lock(hashtext($1)), clock_timestamp() AS at', [
      `licensing.leases:${tenantId}`,
    ]);
    return at;
  }

  async connectionPacks(m: EntityManager, tenantId: string): Promise<number> {
    const rows: { connection_packs: number }[] = await m.query(
      'SELECT connection_packs FROM tenant_connection_packs WHERE tenant_id = $1',
      [tenantId],
    );
    return rows[0]?.connection_packs ?? 0;
  }

  /** Stores the contract's packs unless a newer version is already stored. */
  async savePacks(
    m: EntityManager,
    tenantId: string,
    c: { contractId: string; version: number; packs: number },
  ): Promise<void> {
    await m.query(
      `INSERT INTO tenant_connection_packs (tenant_id, connection_packs, contract_id, contract_version)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id) DO UPDATE
         SET connection_packs = EXCLUDED.connection_packs, contract_id = EXCLUDED.contract_id,
             contract_version = EXCLUDED.contract_version, updated_at = now()
         WHERE tenant_connection_packs.contract_version < EXCLUDED.contract_version`,
      [tenantId, c.packs, c.contractId, c.version],
    );
  }

  /** Packs and live leases in one round trip: this runs while the tenant's lock is held. */
  async capacityAndLiveCount(m: EntityManager, tenantId: string): Promise<{ packs: number; live: number }> {
    const [row] = await m.query(
      `SELECT coalesce((SELECT connection_packs FROM tenant_connection_packs WHERE tenant_id = $1), 0) AS packs,
              (SELECT count(*) FROM leases WHERE tenant_id = $1 AND ended_at IS NULL)::int AS live`,
      [tenantId],
    );
    return row;
  }

  async live(m: EntityManager, tenantId: string): Promise<LeaseRow[]> {
    return m.query('SELECT * FROM leases WHERE tenant_id = $1 AND ended_at IS NULL ORDER BY acquired_at, id', [
      tenantId,
    ]);
  }

  async insert(
    m: EntityManager,
    tenantId: string,
    lease: {
      userId: string;
      userName: string;
      deviceKind: LeaseDeviceKind;
      label: string;
      at: Date;
      ttlSeconds: number;
    },
  ): Promise<LeaseRow> {
    const [row] = await m.query(
      `INSERT INTO leases (tenant_id, user_id, user_name, device_kind, label, acquired_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6::timestamptz + make_interval(secs => $7)) RETURNING *`,
      [tenantId, lease.userId, lease.userName, lease.deviceKind, lease.label, lease.at, lease.ttlSeconds],
    );
    return row;
  }

  /** Extends a live lease of this user; null when it is gone. Needs no tenant lock: the row lock suffices. */
  async extend(
    m: EntityManager,
    tenantId: string,
    userId: string,
    leaseId: string,
    ttlSeconds: number,
  ): Promise<LeaseRow | null> {
    const [rows] = await m.query(
      `UPDATE leases SET expires_at = clock_timestamp() + make_interval(secs => $4)
       WHERE id = $3 AND tenant_id = $1 AND user_id = $2 AND ended_at IS NULL AND expires_at > clock_timestamp()
       RETURNING *`,
      [tenantId, userId, leaseId, ttlSeconds],
    );
    return (rows as LeaseRow[])[0] ?? null;
  }

  async find(m: EntityManager, tenantId: string, leaseId: string): Promise<LeaseRow | null> {
    const rows: LeaseRow[] = await m.query('SELECT * FROM leases WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      leaseId,
    ]);
    return rows[0] ?? null;
  }

  async end(m: EntityManager, tenantId: string, leaseId: string, reason: LeaseEndReason, at: Date): Promise<void> {
    await m.query(
      'UPDATE leases SET ended_at = $3, end_reason = $4 WHERE tenant_id = $1 AND id = $2 AND ended_at IS NULL',
      [tenantId, leaseId, at, reason],
    );
  }

  /** Ends the tenant's leases whose heartbeat is overdue. Call under the tenant lock. */
  async expireOverdue(m: EntityManager, tenantId: string, at: Date): Promise<LeaseRow[]> {
    const [rows] = await m.query(
      `UPDATE leases SET ended_at = $2, end_reason = 'expired'
       WHERE tenant_id = $1 AND ended_at IS NULL AND expires_at <= $2 RETURNING *`,
      [tenantId, at],
    );
    return rows;
  }

  async tenantsWithOverdueLeases(m: EntityManager): Promise<string[]> {
    const rows: { tenant_id: string }[] = await m.query(
      'SELECT DISTINCT tenant_id FROM leases WHERE ended_at IS NULL AND expires_at <= clock_timestamp()',
    );
    return rows.map((r) => r.tenant_id);
  }

  async recordUsage(
    m: EntityManager,
    tenantId: string,
    u: { leaseId: string | null; kind: UsageKind; at: Date; inUse: number; capacity: number },
  ): Promise<void> {
    await m.query(
      'INSERT INTO lease_usage (tenant_id, lease_id, kind, at, in_use, capacity) VALUES ($1, $2, $3, $4, $5, $6)',
      [tenantId, u.leaseId, u.kind, u.at, u.inUse, u.capacity],
    );
  }

  /** The count in force at `at`: the newest change before it. */
  async inUseAt(m: EntityManager, tenantId: string, at: Date): Promise<number> {
    const rows: { in_use: number }[] = await m.query(
      'SELECT in_use FROM lease_usage WHERE tenant_id = $1 AND at < $2 ORDER BY at DESC, id DESC LIMIT 1',
      [tenantId, at],
    );
    return rows[0]?.in_use ?? 0;
  }

  async usageBetween(
    m: EntityManager,
    tenantId: string,
    from: Date,
    to: Date,
  ): Promise<{ at: Date; in_use: number; kind: UsageKind }[]> {
    return m.query(
      'SELECT at, in_use, kind FROM lease_usage WHERE tenant_id = $1 AND at >= $2 AND at < $3 ORDER BY at, id',
      [tenantId, from, to],
    );
  }

  /** Highest demand since `from`: live leases reached, or one more than in use when someone was refused. */
  async demandPeakSince(m: EntityManager, tenantId: string, from: Date): Promise<{ peak: number; refusals: number }> {
    const [row] = await m.query(
      `SELECT coalesce(max(CASE WHEN kind = 'refused' THEN in_use + 1 ELSE in_use END), 0)::int AS peak,
              count(*) FILTER (WHERE kind = 'refused')::int AS refusals
       FROM lease_usage WHERE tenant_id = $1 AND at >= $2`,
      [tenantId, from],
    );
    return { peak: Math.max(row.peak, await this.inUseAt(m, tenantId, from)), refusals: row.refusals };
  }

  async timezone(m: EntityManager, tenantId: string): Promise<string> {
    const rows: { timezone: string }[] = await m.query('SELECT timezone FROM tenants WHERE id = $1', [tenantId]);
    return rows[0]?.timezone ?? 'Asia/Tokyo';
  }
}
