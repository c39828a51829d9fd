import { type Admin, type Consumer, Kafka, type KafkaMessage, logLevel, Partitioners, type Producer } from 'kafkajs';
import { platformConfig } from '../config/platform-config';
import { recordConsumerLag } from '../observability/metrics';
import type {
  IncomingMessage,
  MessageBus,
  OutgoingMessage,
  PartitionProgress,
  SubscribeOptions,
  Subscription,
  TopicSpec,
} from './message-bus';

export interface KafkaBusOptions {
  clientId: string;
  brokers: string[];
  /**
   * Prepended to every topic name on the wire (default KAFKA_TOPIC_PREFIX, empty in production).
   * Throwaway stacks (e2e, bench, drill) get topics of their own on a shared broker, so a new
   * consumer group never replays another run's history. Callers always see unprefixed names.
   */
  topicPrefix?: string;
}

/**
 * Consumer group ids carry the environment's prefix (KAFKA_GROUP_PREFIX), so a test stack and
 * a development stack on one broker never share a group.
 */
export function consumerGroup(name: string): string {
  return `${platformConfig().KAFKA_GROUP_PREFIX}.${name}`;
}

export function kafkaBrokersFromEnv(): string[] {
  return platformConfig().KAFKA_BROKERS;
}

function headersOf(raw: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (v === undefined || v === null) continue;
    out[k] = Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  }
  return out;
}

/** Metadata errors a topic gives while it is being created (by a job, a sibling or a test). */
const TOPIC_NOT_READY = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * A consumer that starts before its topics exist (the topic job has not run yet, or a sibling
 * is creating them at this moment) waits for them for up to `waitMs` instead of failing its
 * start: kafkajs does not retry this metadata error itself.
 */
export async function subscribeWhenTopicsExist(
  consumer: Pick<Consumer, 'subscribe'>,
  topics: string[],
  fromBeginning: boolean | undefined,
  waitMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      await consumer.subscribe({ topics, fromBeginning });
      return;
    } catch (err) {
      const type = (err as { type?: string }).type;
      if (!type || !TOPIC_NOT_READY.has(type) || Date.now() + delay > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export class KafkaJsBus implements MessageBus {
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private producerReady: Promise<Producer> | undefined;
  private admin: Promise<Admin> | undefined;
  private readonly consumers = new Set<Consumer>();
  private readonly prefix: string;

  constructor(options: KafkaBusOptions) {
    this.prefix = options.topicPrefix ?? platformConfig().KAFKA_TOPIC_PREFIX;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.ERROR,
      retry: { initialRetryTime: 100, retries: 8 },
    });
  }

  private getProducer(): Promise<Producer> {
    this.producerReady ??= (async () => {
      const producer = this.kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await producer.connect();
      this.producer = producer;
      return producer;
    })().catch((err: unknown) => {
      this.producerReady = undefined;
      throw err;
    });
    return this.producerReady;
  }

  private getAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((err: unknown) => {
      this.admin = undefined;
      throw err;
    });
    return this.admin;
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.getProducer();
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, ms]) => ({
          topic: this.prefix + topic,
          messages: ms.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
        })),
      });
    } catch (err) {
      // After a failed send the idempotent producer's sequence numbers may no longer match the
      // broker's (a partially refused batch, a broker that restarted and lost the producer id):
      // the next send starts a fresh producer rather than failing with OUT_OF_ORDER_SEQUENCE
      // for ever. Messages written before the failure may be sent again: consumers dedup.
      this.dropProducer(producer);
      throw err;
    }
  }

  private dropProducer(producer: Producer): void {
    if (this.producer !== producer) return;
    this.producer = undefined;
    this.producerReady = undefined;
    void producer.disconnect().catch(() => undefined);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      // How long the broker holds a fetch that finds nothing: it answers at once when a message
      // arrives (minBytes 1), so a longer wait costs no latency, only fewer empty polls (at 100 ms
      // every consumer asked ten times a second: most of the idle stack's CPU, docs/benchmarks.md).
      maxWaitTimeInMs: 500,
      retry: { retries: 5 },
      ...(options.handleBatch && options.maxBytesPerPartition
        ? {
            maxBytesPerPartition: options.maxBytesPerPartition,
            maxBytes: Math.max(10_485_760, options.maxBytesPerPartition * 6),
          }
        : {}),
    });
    this.consumers.add(consumer);
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
      recordConsumerLag(options.groupId, payload.topic, payload.partition, Number(payload.offsetLag)),
    );
    // kafkajs restarts a consumer by itself only after retriable errors; after others ("Failed to
    // find group coordinator" around a broker restart) it stays down. `crashed` tells the owner
    // (keepSubscribed), which starts a new one.
    let stopping = false;
    let onCrashed: (err: unknown) => void = () => undefined;
    const crashed = new Promise<unknown>((resolve) => {
      onCrashed = resolve;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart && !stopping) {
        this.consumers.delete(consumer);
        onCrashed(payload.error);
      }
    });
    // Offsets are committed on a timer, not after every fetch: at the live rate a fetch holds one
    // or two messages, so a commit per fetch doubled the requests every consumer sent the broker
    // (docs/benchmarks.md, issue 21). Only offsets whose handler has finished are committed; a
    // crash redelivers at most the last interval's messages, which the idempotent handlers absorb.
    const commits = deferredCommits(
      consumer,
      options.commitOffsets === false ? 0 : platformConfig().KAFKA_COMMIT_INTERVAL_MS,
    );
    // Handlers in flight: a stop lets them finish and commits their offsets before leaving the group.
    let inFlight = 0;
    let idle: (() => void) | null = null;
    const tracked = async (run: () => Promise<void>) => {
      // Stopping: not handled and not committed, so redelivered to whoever takes the partition. (With
      // kafkajs committing after each fetch, a skipped message would be committed: handle it.)
      if (stopping && commits.deferred) return;
      inFlight++;
      try {
        await run();
      } finally {
        inFlight--;
        if (inFlight === 0) idle?.();
      }
    };
    const stop = async () => {
      stopping = true;
      this.consumers.delete(consumer);
      if (inFlight > 0)
        await new Promise<void>((resolve) => {
          idle = resolve;
        });
      await commits.close();
      await consumer.disconnect();
    };
    // A handler retrying a transient failure keeps the group membership alive and gives up when
    // the subscription is being stopped (its offset stays uncommitted).
    const controlOf = (heartbeat: () => Promise<void>) => ({
      heartbeat: () => heartbeat().catch(() => undefined),
      isStopping: () => stopping,
    });
    try {
      await consumer.connect();
      await subscribeWhenTopicsExist(
        consumer,
        options.topics.map((t) => this.prefix + t),
        options.fromBeginning,
      );
      const joined = new Promise<void>((resolve, reject) => {
        const off = consumer.on(consumer.events.GROUP_JOIN, () => {
          off();
          resolve();
        });
        // A crash before the first join fails the start instead of waiting for ever.
        void crashed.then(reject);
      });
      const toIncoming = (topic: string, partition: number, message: KafkaMessage): IncomingMessage => ({
        topic: topic.slice(this.prefix.length),
        partition,
        offset: message.offset,
        key: message.key ? message.key.toString('utf8') : null,
        value: message.value,
        headers: headersOf(message.headers as Record<string, unknown> | undefined),
      });
      const common = {
        autoCommit: options.commitOffsets !== false && !commits.deferred,
        partitionsConsumedConcurrently:
          options.partitionsConsumedConcurrently ?? platformConfig().KAFKA_PARTITIONS_CONCURRENCY,
      };
      if (options.handleBatch) {
        const handleBatch = options.handleBatch;
        const maxBatchSize = Math.max(1, options.maxBatchSize ?? 1_000);
        // A fetched batch is handed over in slices; each slice's offsets are resolved only after
        // its handler (and its database transaction) has finished, then committed with the rest
        // of the fetch. A throw leaves the slice unresolved, and kafkajs fetches it again.
        await consumer.run({
          ...common,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }) => {
            for (let i = 0; i < batch.messages.length; i += maxBatchSize) {
              if (!isRunning() || isStale() || stopping) return;
              const slice = batch.messages.slice(i, i + maxBatchSize);
              const last = slice.at(-1);
              if (!last) return;
              await tracked(async () => {
                await handleBatch(
                  slice.map((m) => toIncoming(batch.topic, batch.partition, m)),
                  controlOf(heartbeat),
                );
                commits.handled(batch.topic, batch.partition, last.offset);
              });
              if (stopping) return;
              resolveOffset(last.offset);
              await commitOffsetsIfNecessary();
              await heartbeat();
            }
          },
        });
      } else {
        const handle = options.handle;
        // Offsets are committed by kafkajs only for messages whose handler has resolved (after its
        // database commit), batched per fetch instead of one round trip per message. A crash before
        // the commit redelivers; the idempotent handlers make that harmless. Partitions are handled
        // concurrently, each in order.
        await consumer.run({
          ...common,
          eachMessage: ({ topic, partition, message, heartbeat }) =>
            tracked(async () => {
              await handle(toIncoming(topic, partition, message), controlOf(heartbeat));
              commits.handled(topic, partition, message.offset);
            }),
        });
      }
      await joined;
    } catch (err) {
      await stop().catch(() => undefined);
      throw err;
    }
    void crashed.then(() => commits.close());
    return { stop, crashed, groupId: options.groupId };
  }

  async progress(groupId: string, topic: string, at: Date): Promise<PartitionProgress[]> {
    const admin = await this.getAdmin();
    const name = this.prefix + topic;
    // Three reads, not one snapshot: the log's offsets first, then the group's, so a commit that
    // lands in between can only make the group look further behind than it is, never ahead.
    const [log, byTime] = await Promise.all([
      admin.fetchTopicOffsets(name),
      admin.fetchTopicOffsetsByTimestamp(name, at.getTime()),
    ]);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [name] });
    const committedOf = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    const firstOf = new Map(byTime.map((p) => [p.partition, BigInt(p.offset)]));
    return log
      .map((p) => {
        const start = BigInt(p.low);
        const c = committedOf.get(p.partition) ?? -1n;
        return {
          partition: p.partition,
          consumed: c >= 0n ? c : start,
          firstAtOrAfter: firstOf.get(p.partition) ?? BigInt(p.high),
          end: BigInt(p.high),
        };
      })
      .sort((a, b) => a.partition - b.partition);
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    const admin = await this.getAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(this.prefix + t.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: this.prefix + t.topic,
          numPartitions: t.partitions,
          replicationFactor: -1,
        })),
      });
    }
    // A topic just created (here or by another process) is listed, and even has a leader in the
    // metadata, before that leader answers for it (NOT_LEADER / UNKNOWN_TOPIC_OR_PARTITION on a fresh
    // broker). Callers go on to read offsets or produce, so wait, bounded, until every topic's
    // offsets can be read from its leaders.
    const deadline = Date.now() + 30_000;
    for (const t of topics) {
      for (;;) {
        try {
          await admin.fetchTopicOffsets(this.prefix + t.topic);
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
  }

  async ping(): Promise<void> {
    const admin = await this.getAdmin();
    await admin.describeCluster();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    if (this.producerReady) await (await this.producerReady.catch(() => undefined))?.disconnect();
    if (this.admin) await (await this.admin.catch(() => undefined))?.disconnect();
    this.producerReady = undefined;
    this.admin = undefined;
  }
}

/**
 * The offsets a consumer has handled, committed every `intervalMs`, after a rebalance and when it
 * stops, instead of after every fetch. A commit that fails (a rebalance, the broker away) is tried
 * again in the next round unless a newer offset of that partition came meanwhile.
 * `intervalMs` 0: kafkajs commits after every fetch, as before.
 */
function deferredCommits(consumer: Consumer, intervalMs: number) {
  const pending = new Map<string, { topic: string; partition: number; offset: string }>();
  let committing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    committing = committing.then(async () => {
      if (pending.size === 0) return;
      const offsets = [...pending.values()];
      pending.clear();
      try {
        await consumer.commitOffsets(offsets);
      } catch {
        // A rebalance or a broker away: keep them for the next round unless newer ones came meanwhile.
        for (const o of offsets) {
          const key = `${o.topic}:${o.partition}`;
          if (!pending.has(key)) pending.set(key, o);
        }
      }
    });
    return committing;
  };
  const timer = intervalMs > 0 ? setInterval(() => void flush(), intervalMs) : null;
  timer?.unref();
  if (timer) consumer.on(consumer.events.GROUP_JOIN, () => void flush());
  return {
    deferred: timer !== null,
    /** The message at `offset` was handled: the group may move past it. */
    handled(topic: string, partition: number, offset: string): void {
      if (!timer) return;
      pending.set(`${topic}:${partition}`, { topic, partition, offset: (BigInt(offset) + 1n).toString() });
    },
    async close(): Promise<void> {
      if (!timer) return;
      clearInterval(timer);
      await flush();
    },
  };
}
