import { deadLetterTopic, type Envelope } from '@thankstar/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { IncomingMessage, MessageBus, Subscription } from '../kafka/message-bus';
import { withLogContext } from '../observability/log-context';
import { recordDeadLetter, startConsumerTimer } from '../observability/metrics';
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
  /** Attempts before a failing message goes to the dead-letter topic. */
  maxAttempts?: number;
  logger?: ConsumerLogger;
  /** See SubscribeOptions.commitOffsets; default true. */
  commitOffsets?: boolean;
}

/**
 * Validates every message against the topic's schema and hands valid events to `handle`.
 * Messages that do not parse, do not validate, or keep failing go to `<topic>.dlq` with the
 * error in a header, and the consumer goes on. The offset is committed only after `handle`
 * (and its database transaction) has finished.
 */
export async function startEventConsumer<E extends Envelope>(options: EventConsumerOptions<E>): Promise<Subscription> {
  const maxAttempts = options.maxAttempts ?? 3;
  const deadLetter = async (message: IncomingMessage, reason: string) => {
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

  return options.bus.subscribe({
    groupId: options.groupId,
    topics: [options.topic],
    fromBeginning: options.fromBeginning,
    ...(options.commitOffsets === false ? { commitOffsets: false } : {}),
    handle: async (message) => {
      const done = startConsumerTimer(message.topic, options.groupId);
      const outcome = await handleOne(message);
      done(outcome);
    },
  });

  async function handleOne(message: IncomingMessage): Promise<'handled' | 'dead_letter'> {
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
    for (let attempt = 1; ; attempt++) {
      try {
        await withLogContext(context, () => options.handle(event, message));
        return 'handled';
      } catch (err) {
        if (attempt >= maxAttempts) {
          await deadLetter(message, `HANDLER_FAILED: ${err instanceof Error ? err.message : String(err)}`);
          return 'dead_letter';
        }
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  }
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
