import { Inject, Injectable } from '@nestjs/common';
import { connectionCapacity, isUuid } from '@thankstar/contracts';
import { badInput, forbidden, type Principal } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { CONFIG, type Config } from '../config';
import { concurrencySeries } from './concurrency-series';
import { DesktopLeasesService } from './desktop-leases.service';
import {
  connectionLimitReached,
  type LeaseHolder,
  leaseNotFound,
  leaseOfDisabledUser,
  userDisabled,
} from './lease.errors';
import { LeaseEventsPublisher } from './lease-events.publisher';
import type { LeaseRequest } from './lease-request';
import { type Lease, LeasesRepository } from './leases.repository';
import { recommendPacks } from './recommend-packs';

const DAY = 86_400_000;
/** Longest window of the per-minute chart (44,640 points). */
export const MAX_USAGE_DAYS = 31;
export const RECOMMENDATION_DAYS = 30;

const holderOf = (l: Lease): LeaseHolder => ({
  leaseId: l.id,
  userId: l.userId,
  userName: l.userName,
  deviceKind: l.deviceKind,
  label: l.label,
  since: l.acquiredAt.toISOString(),
});

@Injectable()
export class LeasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: LeasesRepository,
    private readonly desktop: DesktopLeasesService,
    private readonly events: LeaseEventsPublisher,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** One statement (see LeasesRepository.acquire); a tenant's very first lease first creates its slots. */
  async acquire(
    principal: Principal,
    request: LeaseRequest,
  ): Promise<{ leaseId: string; expiresAt: string; heartbeatSeconds: number }> {
    const m = this.dataSource.manager;
    const lease = {
      userId: principal.userId,
      userName: principal.name ?? '',
      deviceKind: request.deviceKind,
      label: request.label,
      ttlSeconds: this.config.LEASE_TTL_SECONDS,
    };
    let result = await this.repo.acquire(m, principal.tenantId, lease);
    if (result.outcome === 'no-slots') {
      await this.repo.createSlots(m, principal.tenantId);
      result = await this.repo.acquire(m, principal.tenantId, lease);
    }
    switch (result.outcome) {
      case 'granted':
        this.events.kick();
        return {
          leaseId: result.leaseId,
          expiresAt: result.expiresAt.toISOString(),
          heartbeatSeconds: this.config.LEASE_HEARTBEAT_SECONDS,
        };
      case 'refused':
        throw connectionLimitReached(result.capacity, result.holders.map(holderOf));
      case 'user-disabled':
        throw userDisabled();
      case 'no-slots':
        throw new Error(`no lease slots for tenant ${principal.tenantId} after creating them`);
    }
  }

  async heartbeat(principal: Principal, leaseId: string): Promise<void> {
    if (!isUuid(leaseId)) throw leaseNotFound();
    const outcome = await this.repo.extend(
      this.dataSource.manager,
      principal.tenantId,
      principal.userId,
      leaseId,
      this.config.LEASE_TTL_SECONDS,
    );
    if (outcome === 'user-disabled') throw leaseOfDisabledUser();
    if (outcome === 'not-found') throw leaseNotFound();
  }

  /**
   * Ends a lease: the holder closing it, or a tenant admin ending anybody's. Ending one that has
   * already ended succeeds, so a client may retry its close safely.
   */
  async release(principal: Principal, leaseId: string, asAdmin = false): Promise<void> {
    if (!isUuid(leaseId)) throw leaseNotFound();
    const isAdmin = principal.roles.includes('tenant-admin');
    for (let attempt = 0; attempt < 3; attempt++) {
      const outcome = await this.repo.release(this.dataSource.manager, principal.tenantId, leaseId, {
        userId: principal.userId,
        mayEndOthers: isAdmin,
        asAdmin,
      });
      switch (outcome) {
        case 'not-found':
          throw leaseNotFound();
        case 'forbidden':
          throw forbidden({
            ja: 'この接続を終了できるのは、接続中の本人かテナント管理者だけです。',
            en: 'Only the holder of this connection or a tenant administrator can end it.',
          });
        case 'ended':
          this.events.kick();
          return;
        case 'already-ended':
          return;
        case 'moved':
          continue;
      }
    }
    throw new Error(`lease ${leaseId} kept moving between slots`);
  }

  /**
   * Ends every live lease of a user (disabled by an admin), desktop leases included, in the
   * caller's transaction. Call `kickEvents()` once it has committed.
   */
  async endUserLeases(m: EntityManager, tenantId: string, userId: string): Promise<number> {
    const desktop = await this.desktop.endUserLeases(m, tenantId, userId);
    return desktop + (await this.repo.endUserLeases(m, tenantId, userId));
  }

  /** Publishes the session events of leases ended in a transaction that has committed. */
  kickEvents(): void {
    this.events.kick(0);
  }

  /**
   * Frees the connections of clients that stopped heartbeating (as of their expiry), then moves
   * leases held above a reduced capacity into free slots within it.
   */
  async sweep(): Promise<number> {
    let expired = 0;
    for (;;) {
      const n = await this.repo.expireOverdue(this.dataSource.manager, 500);
      expired += n;
      if (n < 500) break;
    }
    for (const tenantId of await this.repo.tenantsToCompact(this.dataSource.manager)) {
      await this.dataSource.transaction((m) => this.repo.compact(m, tenantId));
    }
    if (expired > 0) this.events.kick(0);
    return expired;
  }

  async activeLeases(tenantId: string): Promise<Lease[]> {
    return this.repo.live(this.dataSource.manager, tenantId);
  }

  async usage(tenantId: string, from: Date, to: Date, now = new Date()) {
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
      throw badInput({
        ja: '期間は from が to より前になるよう ISO 8601 の日時で指定してください。',
        en: 'Give a period with `from` before `to` (ISO 8601 date-times).',
      });
    }
    if (to.getTime() - from.getTime() > MAX_USAGE_DAYS * DAY) {
      throw badInput({
        ja: `分単位のグラフは最大${MAX_USAGE_DAYS}日分です。期間を短くしてください。`,
        en: `The per-minute chart covers at most ${MAX_USAGE_DAYS} days; choose a shorter period.`,
      });
    }
    const m = this.dataSource.manager;
    const [timeZone, startLevel, changes, packs, demand] = await Promise.all([
      this.repo.timezone(m, tenantId),
      this.repo.levelAt(m, tenantId, from),
      this.repo.usageBetween(m, tenantId, from, to),
      this.repo.connectionPacks(m, tenantId),
      this.repo.demandPeakSince(m, tenantId, new Date(now.getTime() - RECOMMENDATION_DAYS * DAY)),
    ]);
    const series = concurrencySeries(
      startLevel,
      changes.map((c) => ({ at: c.at, inUse: c.inUse })),
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
        ...recommendPacks(demand.peak, RECOMMENDATION_DAYS),
        refusals: demand.refusals,
      },
    };
  }
}
