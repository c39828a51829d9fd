import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SESSIONS_TOPIC, type SessionPayload, sessionEventSchema } from '@thankstar/contracts';
import { DataSource } from 'typeorm';
import { CONFIG, type Config } from '../config';
import { LeasesRepository } from './leases.repository';

const BATCH = 1000;
/** Safety net for events another replica recorded, or a kick lost to a crash. */
const POLL_MS = 1000;

/**
 * Moves lease grants and ends from `lease_usage` to the outbox as `licensing.sessions.v1`
 * events, many per transaction. Writing one outbox row per lease on the request path would cost
 * a round trip, and every outbox insert fires the outbox's NOTIFY, which Postgres serialises
 * across all committing transactions of the database (measured: ~400 commits/s with it, ~5,000
 * without). Here it fires once per batch. The usage row commits with the lease, so no event is
 * lost; the event reaches the outbox within LEASE_EVENTS_DELAY_MS (or POLL_MS).
 */
@Injectable()
export class LeaseEventsPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LeaseEventsPublisher.name);
  private timer: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: LeasesRepository,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.poll = setInterval(() => this.kick(0), POLL_MS);
    this.poll.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    clearTimeout(this.timer);
    await this.running;
    // What was recorded before shutdown still goes out now rather than on the next start.
    await this.publishAll().catch(() => undefined);
  }

  /** Publishes soon (by default after LEASE_EVENTS_DELAY_MS); calls within the delay share one batch. */
  kick(delayMs = this.config.LEASE_EVENTS_DELAY_MS): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.running
        .then(async () => {
          await this.publishAll();
        })
        .catch((err: unknown) => this.logger.warn(`lease events not published yet: ${String(err)}`));
    }, delayMs);
    this.timer.unref();
  }

  /** Writes every pending grant and end to the outbox; returns how many. */
  async publishAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.dataSource.transaction(async (m) => {
        const rows = await this.repo.takeUnpublished(m, BATCH);
        if (rows.length === 0) return 0;
        const events = rows.map((r) => {
          const at = r.at.toISOString();
          const payload: SessionPayload =
            r.kind === 'granted'
              ? { kind: 'connected', leaseId: r.leaseId, userId: r.userId, deviceKind: r.deviceKind, at }
              : {
                  kind: 'disconnected',
                  leaseId: r.leaseId,
                  userId: r.userId,
                  reason: r.kind === 'released' ? 'closed' : r.kind === 'expired' ? 'expired' : 'ended-by-admin',
                  at,
                };
          // Validated here as enqueueEvent would, so nothing invalid reaches the broker.
          const value = JSON.stringify(
            sessionEventSchema.parse({
              id: randomUUID(),
              type: 'licensing.session',
              tenantId: r.tenantId,
              occurredAt: at,
              payload,
            }),
          );
          return { key: r.tenantId, value };
        });
        await this.repo.enqueueSessionEvents(m, SESSIONS_TOPIC, events);
        return rows.length;
      });
      total += n;
      if (n < BATCH) return total;
    }
  }
}
