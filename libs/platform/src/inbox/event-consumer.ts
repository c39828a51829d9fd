import { deadLetterTopic, type Envelope } from '@thankstar/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { IncomingMessage, MessageBus, Subscription } from '../kafka/message-bus';

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
  };

  return options.bus.subscribe({
    groupId: options.groupId,
    topics: [options.topic],
    fromBeginning: options.fromBeginning,
    handle: async (message) => {
      let decoded: unknown;
      try {
        decoded = JSON.parse(message.value?.toString('utf8') ?? '');
      } catch {
        return deadLetter(message, 'INVALID_JSON: the message value is not JSON');
      }
      const parsed = options.schema.safeParse(decoded);
      if (!parsed.success) {
        return deadLetter(
          message,
          `INVALID_EVENT: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      }
      for (let attempt = 1; ; attempt++) {
        try {
          await options.handle(parsed.data, message);
          return;
        } catch (err) {
          if (attempt >= maxAttempts) {
            return deadLetter(message, `HANDLER_FAILED: ${err instanceof Error ? err.message : String(err)}`);
          }
          await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        }
      }
    },
  });
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
