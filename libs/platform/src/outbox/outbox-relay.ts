import { Client } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { platformConfig } from '../config/platform-config';
import { DomainError } from '../errors/domain-error';
import { classifyFailure, failureReason } from '../errors/failure-class';
import type { MessageBus } from '../kafka/message-bus';
import { deadLetterReasonCode, outboxRowsParked } from '../observability/metrics';
import { traceHeadersOf } from '../observability/traceparent';
import { type ParkDecision, planOutboxBatch, publishOneByOne, type RelayRow } from './outbox-plan';

type OutboxRow = RelayRow;

export interface OutboxRelayLogger {
  warn(message: string): void;
  error(message: string): void;
}

export interface OutboxRelayOptions {
  batchSize?: number;
  /** Safety-net poll; NOTIFY normally wakes the relay at once. */
  pollIntervalMs?: number;
  /** Rows larger than this are parked before sending (default OUTBOX_MAX_MESSAGE_BYTES, else 1,000,000). */
  maxMessageBytes?: number;
  logger?: OutboxRelayLogger;
}

/** A parked row as platform staff see it (GET /v1/outbox/parked). */
export interface ParkedOutboxRow {
  id: string;
  topic: string;
  key: string;
  bytes: number;
  createdAt: string;
  parkedAt: string;
  reason: string;
  behind: string | null;
}

/**
 * Publishes outbox rows in id order and deletes them once the broker has acknowledged them.
 * A transaction-scoped advisory lock makes one relay of a service publish at a time, so
 * several replicas never reorder a call's events. Postgres NOTIFY (from the outbox insert
 * trigger) wakes it immediately; a slow poll covers lost notifications.
 *
 * Failures are told apart per row: a row the broker refuses for good (too large, invalid record)
 * is moved to `outbox_parked` with its reason, and the later rows of its key are held there
 * behind it (a call's events never overtake each other), while every other key flows on. A
 * transient failure (broker away, timeouts, database down) leaves the batch in the outbox and
 * retries it with backoff up to 5 s, for as long as it takes.
 */
export class OutboxRelay {
  private listener: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  private stopped = false;
  private failures = 0;
  private relistening = false;
  private idle: Promise<void> = Promise.resolve();
  private readonly maxMessageBytes: number;
  /** When each publishNow() was asked for; the NOTIFY of that commit, when it comes, is then redundant. */
  private readonly nowCredits: number[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: MessageBus,
    private readonly connectionString: string,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.maxMessageBytes = options.maxMessageBytes ?? platformConfig().OUTBOX_MAX_MESSAGE_BYTES;
  }

  async start(): Promise<void> {
    this.stopped = false;
    const listener = new Client({ connectionString: this.connectionString });
    listener.on('notification', () => this.onNotify());
    // A listener lost with the database (restart, terminated backend) is replaced on the next
    // poll; until then the poll alone wakes the relay.
    listener.on('error', () => {
      if (this.listener === listener) this.listener = undefined;
    });
    await listener.connect();
    await listener.query('LISTEN outbox');
    this.listener = listener;
    this.schedule(this.options.pollIntervalMs ?? 500);
    this.kick();
  }

  private relisten(): void {
    if (this.listener || this.stopped || this.relistening) return;
    this.relistening = true;
    const listener = new Client({ connectionString: this.connectionString });
    listener.on('notification', () => this.onNotify());
    listener.on('error', () => {
      if (this.listener === listener) this.listener = undefined;
    });
    void (async () => {
      try {
        await listener.connect();
        await listener.query('LISTEN outbox');
        if (this.stopped) await listener.end();
        else this.listener = listener;
      } catch {
        await listener.end().catch(() => undefined);
      } finally {
        this.relistening = false;
      }
    })();
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

  /** Number of parked rows (a metric). */
  async parkedCount(): Promise<number> {
    const [row] = await this.dataSource.query('SELECT count(*)::int AS n FROM outbox_parked');
    return row.n;
  }

  /** The parked rows, oldest first, without their values (a popup may be a megabyte). */
  async parked(limit = 100): Promise<ParkedOutboxRow[]> {
    const rows: {
      id: string;
      topic: string;
      key: string;
      bytes: number;
      created_at: Date;
      parked_at: Date;
      reason: string;
      behind: string | null;
    }[] = await this.dataSource.query(
      `SELECT id::text, topic, key, octet_length(value) AS bytes, created_at, parked_at, reason, behind::text
         FROM outbox_parked ORDER BY outbox_parked.id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      topic: r.topic,
      key: r.key,
      bytes: r.bytes,
      createdAt: r.created_at.toISOString(),
      parkedAt: r.parked_at.toISOString(),
      reason: r.reason,
      behind: r.behind,
    }));
  }

  /**
   * Puts a parked row back in the outbox under its own id, with the rows of its key held behind
   * it, so they go out in their original order (ahead of anything of the key written since). A row
   * still refused is parked again with its reason. Refused for a row held behind another: that one
   * must go first.
   */
  async replay(id: string): Promise<{ replayed: string[] }> {
    if (!/^[0-9]{1,19}$/.test(id)) {
      throw new DomainError('INVALID_OUTBOX_ID');
    }
    const replayed = await this.dataSource.transaction(async (manager) => {
      // The relay's lock: no batch is half-way while rows move back.
      await manager.query("SELECT pg_advisory_xact_lock(hashtext('outbox-relay'))");
      const [row]: { key: string; first: string }[] = await manager.query(
        `SELECT p.key, (SELECT min(id)::text FROM outbox_parked q WHERE q.key = p.key) AS first
           FROM outbox_parked p WHERE p.id = $1`,
        [id],
      );
      if (!row) throw new DomainError('OUTBOX_ROW_NOT_FOUND');
      if (row.first !== id) {
        throw new DomainError('OUTBOX_ROW_HELD', { first: row.first });
      }
      const moved: { id: string }[] = await manager.query(
        `WITH moved AS (DELETE FROM outbox_parked WHERE key = $1 RETURNING id, topic, key, value, created_at)
         INSERT INTO outbox (id, topic, key, value, created_at)
         SELECT id, topic, key, value, created_at FROM moved ORDER BY id RETURNING id::text`,
        [row.key],
      );
      return moved.map((m) => m.id).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    });
    this.options.logger?.warn(`outbox rows ${replayed.join(', ')} put back for replay`);
    this.kick();
    return { replayed };
  }

  /**
   * For a writer in this process that has just COMMITTED outbox rows: runs a relay round now
   * instead of waiting for the commit's NOTIFY to come back through the listener. It is the same
   * round as any other (the advisory lock, id order, parking, and the DELETE that marks a row
   * published), so nothing is published twice or out of order; the NOTIFY and the poll still back
   * it up. Call it only after the commit: a round that starts before it would not see the rows.
   * The NOTIFY of that commit then starts no second, empty round (see onNotify).
   */
  publishNow(): void {
    if (this.stopped) return;
    this.nowCredits.push(Date.now());
    this.kick();
  }

  /**
   * A NOTIFY starts a round, unless a publishNow() of the last second is still waiting for its
   * commit's NOTIFY: that round started after the commit, so it reads the committed rows already.
   * A notification of another writer's commit taken for it by mistake (ours was lost with the
   * listener) only waits for the next round: the poll, or the next kick.
   */
  private onNotify(): void {
    const now = Date.now();
    while (this.nowCredits.length > 0 && now - (this.nowCredits[0] as number) > 1_000) this.nowCredits.shift();
    if (this.nowCredits.shift() !== undefined) return;
    this.kick();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.relisten();
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
    } catch (err) {
      // Broker or database down: back off; rows stay in the outbox and nothing is lost.
      this.failures += 1;
      if (this.failures === 1 || this.failures % 20 === 0) {
        this.options.logger?.warn(`outbox relay retrying (attempt ${this.failures}): ${failureReason(err)}`);
      }
      this.schedule(Math.min(100 * 2 ** this.failures, 5_000));
    }
  }

  private async publishBatch(): Promise<number> {
    const outcome = await this.dataSource.transaction(async (manager): Promise<{ n: number; transient?: unknown }> => {
      const [lock] = await manager.query("SELECT pg_try_advisory_xact_lock(hashtext('outbox-relay')) AS ok");
      if (!lock.ok) return { n: 0 };
      // The batch and, per key, the first row parked before it, in one round trip (the hot path:
      // a relay round runs after nearly every commit). Read after the lock, in a statement of its
      // own, so its snapshot includes the DELETE of the round that held the lock before.
      // `ORDER BY o.id`, qualified: a bare `id` names the output column `id::text`, and rows in
      // text order ('1' < '101' < '51') put a call's later events ahead of its earlier ones.
      const read: (OutboxRow & { parked_head: string | null })[] = await manager.query(
        `SELECT o.id::text AS id, o.topic, o.key, o.value,
                (SELECT min(p.id)::text FROM outbox_parked p WHERE p.key = o.key) AS parked_head
           FROM (SELECT id, topic, key, value FROM outbox ORDER BY id LIMIT $1) o ORDER BY o.id`,
        [this.batchSize],
      );
      if (read.length === 0) return { n: 0 };
      const rows: OutboxRow[] = read.map(({ parked_head: _, ...row }) => row);
      const heads = new Map<string, string>();
      for (const r of read) if (r.parked_head !== null) heads.set(r.key, r.parked_head);
      const plan = planOutboxBatch(rows, heads, this.maxMessageBytes);
      await this.park(manager, plan.park);
      let sent = plan.send;
      let transient: unknown;
      try {
        await this.bus.publish(sent.map(toMessage));
      } catch (err) {
        // A transient failure rolls the whole batch back into the outbox (parking included) and
        // the relay backs off. Anything else means some row of the batch is refused for good:
        // find it by sending one at a time.
        if (classifyFailure(err) === 'transient') throw err;
        this.options.logger?.warn(`outbox batch refused (${failureReason(err)}); sending its rows one at a time`);
        const walked = await publishOneByOne(sent, (row) => this.bus.publish([toMessage(row)]));
        await this.park(manager, walked.park);
        sent = walked.sent;
        transient = walked.transient;
      }
      if (sent.length > 0) {
        await manager.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [sent.map((r) => r.id)]);
      }
      // What was sent and parked before a transient failure is committed (no resend); the rest
      // waits in the outbox, and the throw after the commit makes the relay back off.
      return transient === undefined ? { n: rows.length } : { n: rows.length, transient };
    });
    if ('transient' in outcome) throw outcome.transient;
    return outcome.n;
  }

  private async park(manager: EntityManager, decisions: ParkDecision[]): Promise<void> {
    if (decisions.length === 0) return;
    await manager.query(
      `WITH parked AS (DELETE FROM outbox WHERE id = ANY($1::bigint[]) RETURNING id, topic, key, value, created_at)
       INSERT INTO outbox_parked (id, topic, key, value, created_at, reason, behind)
       SELECT p.id, p.topic, p.key, p.value, p.created_at, d.reason, d.behind
         FROM parked p JOIN unnest($1::bigint[], $2::text[], $3::bigint[]) AS d(id, reason, behind) ON d.id = p.id`,
      [decisions.map((d) => d.row.id), decisions.map((d) => d.reason), decisions.map((d) => d.behind ?? null)],
    );
    for (const d of decisions) {
      outboxRowsParked.inc({ topic: d.row.topic, reason: deadLetterReasonCode(d.reason) });
      // The refused row is an error for platform staff; the rows held behind it follow from it.
      const line = `outbox row ${d.row.id} (${d.row.topic}, key ${d.row.key}) parked: ${d.reason}`;
      if (d.behind === undefined) this.options.logger?.error(line);
      else this.options.logger?.warn(line);
    }
  }
}

function toMessage(r: OutboxRow) {
  return { topic: r.topic, key: r.key, value: r.value, headers: traceHeadersOf(r.value) };
}
