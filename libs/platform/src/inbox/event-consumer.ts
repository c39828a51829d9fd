import { deadLetterTopic, type Envelope } from '@thankstar/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { classifyFailure, failureReason } from '../errors/failure-class';
import type { DeliveryControl, IncomingMessage, MessageBus, Subscription } from '../kafka/message-bus';
import { withLogContext } from '../observability/log-context';
import { consumerTransientRetries, recordDeadLetter, startConsumerTimer } from '../observability/metrics';
import { parseTraceparent } from '../observability/traceparent';

export interface ConsumerLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface EventConsumerOptions<E extends Envelope> {
  bus: MessageBus;
  groupId: string;
  topic: string;
  schema: z.ZodType<E>;
  fromBeginning: boolean;
  handle(event: E, message: IncomingMessage): Promise<void>;
  /**
   * Attempts before a message failing for good (classifyFailure: permanent) goes to the
   * dead-letter topic; default 1, at once. Transient failures never count: they are retried.
   */
  maxAttempts?: number;
  logger?: ConsumerLogger;
  /** See SubscribeOptions.commitOffsets; default true. */
  commitOffsets?: boolean;
}

/** Backoff before retry `attempt` (1-based) of a transient failure: 100 ms doubling to a 5 s cap. */
export function transientBackoffMs(attempt: number): number {
  return Math.min(100 * 2 ** Math.max(0, attempt - 1), 5_000);
}

/**
 * Runs `fn` until it succeeds or fails for good. Transient failures (the database restarting or
 * refusing connections, the broker away: classifyFailure) are retried with capped backoff for as
 * long as it takes, holding the message (its offset stays uncommitted, and only its partition
 * waits); the consumer heartbeats meanwhile so it keeps its partitions. Returns the permanent
 * error, or undefined once `fn` succeeded. Throws the transient error when the subscription is
 * being stopped, which leaves the message for the next consumer.
 */
export async function retryTransient(
  fn: () => Promise<void>,
  context: {
    topic: string;
    groupId: string;
    control?: DeliveryControl;
    logger?: ConsumerLogger;
    permanentAttempts?: number;
  },
): Promise<unknown> {
  let permanent = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      await fn();
      return undefined;
    } catch (err) {
      if (classifyFailure(err) === 'permanent') {
        permanent += 1;
        if (permanent >= (context.permanentAttempts ?? 1)) return err;
      } else {
        if (context.control?.isStopping()) throw err;
        consumerTransientRetries.inc({ topic: context.topic, group: context.groupId });
        if (attempt === 1 || attempt % 20 === 0) {
          context.logger?.warn('transient failure; retrying the message, not dead-lettering it', {
            topic: context.topic,
            attempt,
            reason: failureReason(err),
          });
        }
      }
      await new Promise((r) => setTimeout(r, transientBackoffMs(attempt)));
      await context.control?.heartbeat();
    }
  }
}

/**
 * Validates every message against the topic's schema and hands valid events to `handle`.
 * Messages that do not parse, do not validate, or fail for good go to `<topic>.dlq` at once with
 * the error in a header, and the consumer goes on; transient failures are retried until they
 * pass (retryTransient). The offset is committed only after `handle` (and its database
 * transaction) has finished.
 */
export async function startEventConsumer<E extends Envelope>(options: EventConsumerOptions<E>): Promise<Subscription> {
  const deadLetter = deadLetterer(options);

  return options.bus.subscribe({
    groupId: options.groupId,
    topics: [options.topic],
    fromBeginning: options.fromBeginning,
    ...(options.commitOffsets === false ? { commitOffsets: false } : {}),
    handle: async (message, control) => {
      const done = startConsumerTimer(message.topic, options.groupId);
      const outcome = await handleOne(message, control);
      done(outcome);
    },
  });

  async function handleOne(message: IncomingMessage, control?: DeliveryControl): Promise<'handled' | 'dead_letter'> {
    let decoded: unknown;
    try {
      decoded = JSON.parse(message.value?.toString('utf8') ?? '');
    } catch {
      await deadLetter(message, 'INVALID_JSON: the message value is not JSON');
      return 'dead_letter';
    }
    const parsed = options.schema.safeParse(decoded);
    if (!parsed.success) {
      await deadLetter(
        message,
        `INVALID_EVENT: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
      return 'dead_letter';
    }
    const event = parsed.data;
    // Everything the handler logs or enqueues carries the event's tenant, call and trace.
    const traceparent = event.traceparent ?? message.headers.traceparent;
    const context = {
      tenantId: event.tenantId,
      eventId: event.id,
      topic: message.topic,
      callId: callIdOf(event.payload),
      traceparent,
      traceId: parseTraceparent(traceparent)?.traceId,
    };
    const failed = await withLogContext(context, () =>
      retryTransient(() => options.handle(event, message), {
        topic: message.topic,
        groupId: options.groupId,
        ...(control ? { control } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.maxAttempts ? { permanentAttempts: options.maxAttempts } : {}),
      }),
    );
    if (failed === undefined) return 'handled';
    await deadLetter(message, `HANDLER_FAILED: ${failureReason(failed)}`);
    return 'dead_letter';
  }
}

/** A valid event of a batch with the message it came in. */
export interface BatchItem<E extends Envelope> {
  event: E;
  message: IncomingMessage;
}

export interface BatchEventConsumerOptions<E extends Envelope> extends Omit<EventConsumerOptions<E>, 'handle'> {
  /**
   * The valid events of a batch, in partition order, to be written in one database transaction.
   * Must be idempotent: a batch is redelivered whole after a crash before its offsets commit.
   */
  handleBatch(items: BatchItem<E>[]): Promise<void>;
  /** Largest batch handed to `handleBatch` (default 1,000). */
  maxBatchSize?: number;
  /** See BatchSubscribeOptions.maxBytesPerPartition. */
  maxBytesPerPartition?: number;
  /** See SubscribeOptions.partitionsConsumedConcurrently (each batch is one transaction). */
  partitionsConsumedConcurrently?: number;
}

/**
 * Like startEventConsumer, a batch at a time. Messages that do not parse or validate go to
 * `<topic>.dlq` one by one with their reason, and the rest of the batch is handled. A transient
 * failure retries the batch until it passes; when the batch's handler fails for good, its events
 * are tried one at a time (each in a batch of one), so only the events that fail for good go to
 * the dead-letter topic. Offsets are committed only after all of this has finished.
 */
export async function startBatchEventConsumer<E extends Envelope>(
  options: BatchEventConsumerOptions<E>,
): Promise<Subscription> {
  const deadLetter = deadLetterer(options);
  const attempt = (items: BatchItem<E>[], control?: DeliveryControl): Promise<unknown> =>
    retryTransient(() => options.handleBatch(items), {
      topic: options.topic,
      groupId: options.groupId,
      ...(control ? { control } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.maxAttempts ? { permanentAttempts: options.maxAttempts } : {}),
    });
  return options.bus.subscribe({
    groupId: options.groupId,
    topics: [options.topic],
    fromBeginning: options.fromBeginning,
    maxBatchSize: options.maxBatchSize ?? 1_000,
    ...(options.maxBytesPerPartition ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
    ...(options.partitionsConsumedConcurrently
      ? { partitionsConsumedConcurrently: options.partitionsConsumedConcurrently }
      : {}),
    ...(options.commitOffsets === false ? { commitOffsets: false } : {}),
    handleBatch: async (messages, control) => {
      const done = messages.map((m) => startConsumerTimer(m.topic, options.groupId));
      const outcomes = new Array<'handled' | 'dead_letter'>(messages.length).fill('handled');
      const items: (BatchItem<E> & { index: number })[] = [];
      for (const [index, message] of messages.entries()) {
        const decoded = decode(message, options.schema);
        if ('reason' in decoded) {
          await deadLetter(message, decoded.reason);
          outcomes[index] = 'dead_letter';
        } else {
          items.push({ event: decoded.event, message, index });
        }
      }
      if (items.length > 0) {
        const failed = await withLogContext({ topic: options.topic }, () => attempt(items, control));
        if (failed !== undefined) {
          options.logger?.warn('batch failed; handling its events one at a time', {
            topic: options.topic,
            events: items.length,
            reason: failed instanceof Error ? failed.message : String(failed),
          });
          for (const item of items) {
            const err = await withLogContext(contextOf(item.event, item.message), () => attempt([item], control));
            if (err !== undefined) {
              await deadLetter(item.message, `HANDLER_FAILED: ${failureReason(err)}`);
              outcomes[item.index] = 'dead_letter';
            }
          }
        }
      }
      for (const [i, end] of done.entries()) end(outcomes[i] ?? 'handled');
    },
  });
}

function decode<E extends Envelope>(message: IncomingMessage, schema: z.ZodType<E>): { event: E } | { reason: string } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(message.value?.toString('utf8') ?? '');
  } catch {
    return { reason: 'INVALID_JSON: the message value is not JSON' };
  }
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) {
    return {
      reason: `INVALID_EVENT: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    };
  }
  return { event: parsed.data };
}

function contextOf(event: Envelope, message: IncomingMessage) {
  const traceparent = event.traceparent ?? message.headers.traceparent;
  return {
    tenantId: event.tenantId,
    eventId: event.id,
    topic: message.topic,
    callId: callIdOf(event.payload),
    traceparent,
    traceId: parseTraceparent(traceparent)?.traceId,
  };
}

function deadLetterer(options: { bus: MessageBus; groupId: string; logger?: ConsumerLogger }) {
  return async (message: IncomingMessage, reason: string) => {
    options.logger?.warn('message sent to dead-letter topic', {
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      reason,
    });
    await options.bus.publish([
      {
        topic: deadLetterTopic(message.topic),
        key: message.key ?? '',
        value: message.value?.toString('utf8') ?? '',
        headers: {
          ...message.headers,
          'x-dlq-reason': reason.slice(0, 1_000),
          'x-dlq-source': `${message.topic}/${message.partition}/${message.offset}`,
          'x-dlq-consumer': options.groupId,
        },
      },
    ]);
    recordDeadLetter(message.topic, options.groupId, reason);
  };
}

function callIdOf(payload: unknown): string | undefined {
  const callId = (payload as { callId?: unknown } | null | undefined)?.callId;
  return typeof callId === 'string' ? callId : undefined;
}

/**
 * Wraps a handler so it runs once per event id and consumer: the dedup row and the handler's
 * writes commit in one transaction, so a replay after a crash changes nothing.
 */
export function idempotent<E extends Envelope>(
  dataSource: DataSource,
  consumer: string,
  handle: (event: E, manager: EntityManager) => Promise<void>,
): (event: E) => Promise<void> {
  return (event) =>
    dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        'INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id',
        [consumer, event.id],
      );
      if (inserted.length === 0) return;
      await handle(event, manager);
    });
}
