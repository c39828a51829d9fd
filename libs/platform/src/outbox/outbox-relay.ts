import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { MessageBus } from '../kafka/message-bus';
import { traceHeadersOf } from '../observability/traceparent';

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  value: string;
}

export interface OutboxRelayOptions {
  batchSize?: number;
  /** Safety-net poll; NOTIFY normally wakes the relay at once. */
  pollIntervalMs?: number;
}

/**
 * Publishes outbox rows in id order and deletes them once the broker has acknowledged them.
 * A transaction-scoped advisory lock makes one relay of a service publish at a time, so
 * several replicas never reorder a call's events. Postgres NOTIFY (from the outbox insert
 * trigger) wakes it immediately; a slow poll covers lost notifications.
 */
export class OutboxRelay {
  private listener: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  private stopped = false;
  private failures = 0;
  private idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: MessageBus,
    private readonly connectionString: string,
    private readonly options: OutboxRelayOptions = {},
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    const listener = new Client({ connectionString: this.connectionString });
    listener.on('notification', () => this.kick());
    listener.on('error', () => undefined);
    await listener.connect();
    await listener.query('LISTEN outbox');
    this.listener = listener;
    this.schedule(this.options.pollIntervalMs ?? 500);
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.idle;
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
  }

  /** Number of rows not yet published (a metric and a test hook). */
  async backlog(): Promise<number> {
    const [row] = await this.dataSource.query('SELECT count(*)::int AS n FROM outbox');
    return row.n;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.kick();
      this.schedule(this.options.pollIntervalMs ?? 500);
    }, ms);
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.idle = this.drain().finally(() => {
      this.running = false;
      if (this.again && !this.stopped) {
        this.again = false;
        this.kick();
      }
    });
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 500;
  }

  private async drain(): Promise<void> {
    try {
      // A batch shorter than the limit emptied the outbox as of its read: no second round trip to
      // find nothing. Rows committed since then have sent their NOTIFY, which runs the relay again
      // (kick() while running sets `again`); the poll covers a lost notification.
      while (!this.stopped && (await this.publishBatch()) >= this.batchSize) {
        // keep going while full batches come back
      }
      this.failures = 0;
    } catch {
      // Broker or database down: back off; rows stay in the outbox and nothing is lost.
      this.failures += 1;
      this.schedule(Math.min(100 * 2 ** this.failures, 5_000));
    }
  }

  private async publishBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [lock] = await manager.query("SELECT pg_try_advisory_xact_lock(hashtext('outbox-relay')) AS ok");
      if (!lock.ok) return 0;
      const rows: OutboxRow[] = await manager.query('SELECT id, topic, key, value FROM outbox ORDER BY id LIMIT $1', [
        this.batchSize,
      ]);
      if (rows.length === 0) return 0;
      await this.bus.publish(
        rows.map((r) => ({ topic: r.topic, key: r.key, value: r.value, headers: traceHeadersOf(r.value) })),
      );
      await manager.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
      return rows.length;
    });
  }
}
