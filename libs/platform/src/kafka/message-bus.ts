/**
 * The small interface every service uses to talk to the broker. kafkajs is unmaintained
 * upstream; keeping it behind this interface lets us swap the client in one file.
 */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

interface SubscribeBase {
  groupId: string;
  topics: string[];
  /** Where a new consumer group starts. Services start at the beginning; live fan-out at the end. */
  fromBeginning: boolean;
  /**
   * False: never commit offsets. For live fan-out groups that always start at the end (one
   * group per gateway instance), where a commit per message only costs a broker round trip.
   */
  commitOffsets?: boolean;
  /** Partitions handled at once (default KAFKA_PARTITIONS_CONCURRENCY, else 6), each in order. */
  partitionsConsumedConcurrently?: number;
}

/** What a handler may do while it holds a message (e.g. retrying a database that is away). */
export interface DeliveryControl {
  /** Keeps the consumer in its group during a long retry (throttled by the client; never throws). */
  heartbeat(): Promise<void>;
  /** True once the subscription is being stopped: a retrying handler gives up (its offset stays uncommitted). */
  isStopping(): boolean;
}

/** One message at a time (every service's default). */
export interface MessageSubscribeOptions extends SubscribeBase {
  /** The message's offset is committed only after this resolves. A throw stops the consumer. */
  handle(message: IncomingMessage, control?: DeliveryControl): Promise<void>;
  handleBatch?: never;
}

/**
 * Messages of one partition in order, up to `maxBatchSize` at a time (for consumers that write a
 * whole batch in one database transaction). The offsets of a batch are committed only after
 * `handleBatch` resolves; a throw redelivers the whole batch, so the handler must be idempotent.
 */
export interface BatchSubscribeOptions extends SubscribeBase {
  handleBatch(messages: IncomingMessage[], control?: DeliveryControl): Promise<void>;
  /** Largest slice of a fetched batch handed over at once (default 1,000). */
  maxBatchSize?: number;
  /** Bytes fetched per partition and request (kafkajs' default is 1 MB); bounds a fetched batch. */
  maxBytesPerPartition?: number;
  handle?: never;
}

export type SubscribeOptions = MessageSubscribeOptions | BatchSubscribeOptions;

export interface Subscription {
  stop(): Promise<void>;
  /** The consumer group, where the subscription has one (labels the restarts metric). */
  groupId?: string;
  /**
   * Settles (with the error) when the consumer stopped by itself and the client will not restart
   * it, e.g. after "Failed to find group coordinator" around a broker restart. keepSubscribed
   * starts a new one.
   */
  crashed?: Promise<unknown>;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
}

/** Where a consumer group stands on one partition, against the partition's log at an instant. */
export interface PartitionProgress {
  partition: number;
  /** The group's next offset to consume (after its last commit); the log's start when it never committed. */
  consumed: bigint;
  /** The first offset written at or after the instant asked about (the log's end when none is). */
  firstAtOrAfter: bigint;
  /** The log's end offset when asked. */
  end: bigint;
}

export interface MessageBus {
  publish(messages: OutgoingMessage[]): Promise<void>;
  /**
   * A consumer group's progress on every partition of a topic, against the first message written
   * at or after `at`: the group has consumed everything written before `at` when, on every
   * partition, `consumed >= firstAtOrAfter` (billing's month close waits for this).
   */
  progress(groupId: string, topic: string, at: Date): Promise<PartitionProgress[]>;
  /** Resolves once the consumer has joined its group and received its partitions. */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
