import { Injectable } from '@nestjs/common';
import { SESSIONS_TOPIC } from '@thankstar/contracts';
import { badInput, enqueueEvent, forbidden, type Principal } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { connectionCapacity } from './capacity';
import { concurrencySeries } from './concurrency-series';
import { connectionLimitReached, type LeaseHolder, leaseNotFound } from './lease.errors';
import type { LeaseRequest } from './lease-request';
import { leaseSettings } from './lease-settings';
import { type LeaseEndReason, type LeaseRow, LeasesRepository } from './leases.repository';
import { recommendPacks } from './recommend-packs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = 86_400_000;
/** Longest window of the per-minute chart (44,640 points). */
export const MAX_USAGE_DAYS = 31;
export const RECOMMENDATION_DAYS = 30;

const holderOf = (l: LeaseRow): LeaseHolder => ({
  leaseId: l.id,
  userName: l.user_name,
  deviceKind: l.device_kind,
  label: l.label,
  since: l.acquired_at.toISOString(),
});

@Injectable()
export class LeasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: LeasesRepository,
  ) {}

  async acquire(
    principal: Principal,
    request: LeaseRequest,
  ): Promise<{ leaseId: string; expiresAt: string; heartbeatSeconds: number }> {
    const tenantId = principal.tenantId;
    const outcome = await this.dataSource.transaction(async (m) => {
      const at = await this.repo.lockTenant(m, tenantId);
      await this.expireOverdue(m, tenantId, at);
      const { packs, live } = await this.repo.capacityAndLiveCount(m, tenantId);
      const capacity = connectionCapacity(packs);
      if (live >= capacity) {
        // Committed even though the caller is refused: refusals are what the pack recommendation learns from.
        await this.repo.recordUsage(m, tenantId, { leaseId: null, kind: 'refused', at, inUse: live, capacity });
        return { refused: true as const, capacity, holders: (await this.repo.live(m, tenantId)).map(holderOf) };
      }
      const lease = await this.repo.insert(m, tenantId, {
        userId: principal.userId,
        userName: principal.name ?? '',
        deviceKind: request.deviceKind,
        label: request.label,
        at,
        ttlSeconds: leaseSettings.ttlSeconds,
      });
      await this.repo.recordUsage(m, tenantId, {
        leaseId: lease.id,
        kind: 'granted',
        at,
        inUse: live + 1,
        capacity,
      });
      await enqueueEvent(m, {
        topic: SESSIONS_TOPIC,
        key: tenantId,
        tenantId,
        occurredAt: at,
        payload: {
          kind: 'connected',
          leaseId: lease.id,
          userId: lease.user_id,
          deviceKind: lease.device_kind,
          at: at.toISOString(),
        },
      });
      return { refused: false as const, lease };
    });
    if (outcome.refused) throw connectionLimitReached(outcome.capacity, outcome.holders);
    return {
      leaseId: outcome.lease.id,
      expiresAt: outcome.lease.expires_at.toISOString(),
      heartbeatSeconds: leaseSettings.heartbeatSeconds,
    };
  }

  async heartbeat(principal: Principal, leaseId: string): Promise<void> {
    if (!UUID.test(leaseId)) throw leaseNotFound();
    const lease = await this.repo.extend(
      this.dataSource.manager,
      principal.tenantId,
      principal.userId,
      leaseId,
      leaseSettings.ttlSeconds,
    );
    if (!lease) throw leaseNotFound();
  }

  /**
   * Ends a lease: the holder closing it, or a tenant admin ending anybody's. Ending one that has
   * already ended succeeds, so a client may retry its close safely.
   */
  async release(principal: Principal, leaseId: string, asAdmin = false): Promise<void> {
    if (!UUID.test(leaseId)) throw leaseNotFound();
    const tenantId = principal.tenantId;
    await this.dataSource.transaction(async (m) => {
      const at = await this.repo.lockTenant(m, tenantId);
      await this.expireOverdue(m, tenantId, at);
      const lease = await this.repo.find(m, tenantId, leaseId);
      if (!lease) throw leaseNotFound();
      const own = lease.user_id === principal.userId;
      if (!own && !principal.roles.includes('tenant-admin')) {
        throw forbidden('Only the holder of this connection or a tenant administrator can end it.');
      }
      if (lease.ended_at) return;
      const reason: LeaseEndReason = own && !asAdmin ? 'closed' : 'ended-by-admin';
      await this.endLease(m, lease, reason, at);
    });
  }

  /** Frees the connections of clients that stopped heartbeating, tenant by tenant. */
  async sweep(): Promise<number> {
    let expired = 0;
    for (const tenantId of await this.repo.tenantsWithOverdueLeases(this.dataSource.manager)) {
      expired += await this.dataSource.transaction(async (m) => {
        const at = await this.repo.lockTenant(m, tenantId);
        return (await this.expireOverdue(m, tenantId, at)).length;
      });
    }
    return expired;
  }

  async activeLeases(tenantId: string): Promise<LeaseRow[]> {
    return this.dataSource.transaction(async (m) => {
      const at = await this.repo.lockTenant(m, tenantId);
      await this.expireOverdue(m, tenantId, at);
      return this.repo.live(m, tenantId);
    });
  }

  async usage(tenantId: string, from: Date, to: Date, now = new Date()) {
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
      throw badInput('Give a period with `from` before `to` (ISO 8601 date-times).');
    }
    if (to.getTime() - from.getTime() > MAX_USAGE_DAYS * DAY) {
      throw badInput(`The per-minute chart covers at most ${MAX_USAGE_DAYS} days; choose a shorter period.`);
    }
    const m = this.dataSource.manager;
    const [timeZone, startLevel, changes, packs, demand] = await Promise.all([
      this.repo.timezone(m, tenantId),
      this.repo.inUseAt(m, tenantId, from),
      this.repo.usageBetween(m, tenantId, from, to),
      this.repo.connectionPacks(m, tenantId),
      this.repo.demandPeakSince(m, tenantId, new Date(now.getTime() - RECOMMENDATION_DAYS * DAY)),
    ]);
    const series = concurrencySeries(
      startLevel,
      changes.map((c) => ({ at: c.at, inUse: c.in_use })),
      from,
      to,
      timeZone,
    );
    return {
      from,
      to,
      timeZone,
      connectionPacks: packs,
      capacity: connectionCapacity(packs),
      peak: series.peak,
      refusals: changes.filter((c) => c.kind === 'refused').length,
      perMinute: series.perMinute,
      dailyPeaks: series.daily,
      monthlyPeaks: series.monthly,
      recommendation: {
        ...recommendPacks(demand.peak, `in the last ${RECOMMENDATION_DAYS} days`),
        refusals: demand.refusals,
      },
    };
  }

  private async expireOverdue(m: EntityManager, tenantId: string, at: Date): Promise<LeaseRow[]> {
    const expired = await this.repo.expireOverdue(m, tenantId, at);
    if (expired.length === 0) return expired;
    const { packs, live } = await this.repo.capacityAndLiveCount(m, tenantId);
    const capacity = connectionCapacity(packs);
    let inUse = live + expired.length;
    for (const lease of expired) {
      await this.repo.recordUsage(m, tenantId, { leaseId: lease.id, kind: 'expired', at, inUse: --inUse, capacity });
      await this.disconnected(m, lease, 'expired', at);
    }
    return expired;
  }

  private async endLease(m: EntityManager, lease: LeaseRow, reason: LeaseEndReason, at: Date): Promise<void> {
    await this.repo.end(m, lease.tenant_id, lease.id, reason, at);
    const { packs, live: inUse } = await this.repo.capacityAndLiveCount(m, lease.tenant_id);
    const capacity = connectionCapacity(packs);
    await this.repo.recordUsage(m, lease.tenant_id, {
      leaseId: lease.id,
      kind: reason === 'closed' ? 'released' : 'ended-by-admin',
      at,
      inUse,
      capacity,
    });
    await this.disconnected(m, lease, reason, at);
  }

  private async disconnected(m: EntityManager, lease: LeaseRow, reason: LeaseEndReason, at: Date): Promise<void> {
    await enqueueEvent(m, {
      topic: SESSIONS_TOPIC,
      key: lease.tenant_id,
      tenantId: lease.tenant_id,
      occurredAt: at,
      payload: { kind: 'disconnected', leaseId: lease.id, userId: lease.user_id, reason, at: at.toISOString() },
    });
  }
}
