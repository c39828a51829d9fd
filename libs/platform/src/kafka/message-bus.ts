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

export interface SubscribeOptions {
  groupId: string;
  topics: string[];
  /** Where a new consumer group starts. Services start at the beginning; live fan-out at the end. */
  fromBeginning: boolean;
  /** The message's offset is committed only after this resolves. A throw stops the consumer. */
  handle(message: IncomingMessage): Promise<void>;
  /**
   * False: never commit offsets. For live fan-out groups that always start at the end (one
   * group per gateway instance), where a commit per message only costs a broker round trip.
   */
  commitOffsets?: boolean;
}

export interface Subscription {
  stop(): Promise<void>;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
}

export interface MessageBus {
  publish(messages: OutgoingMessage[]): Promise<void>;
  /** Resolves once the consumer has joined its group and received its partitions. */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
