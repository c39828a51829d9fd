import { randomUUID } from 'node:crypto';
import type { Envelope, TopicMessage, TopicName } from '@thankstar/contracts';
import { topics } from '@thankstar/contracts';
import type { EntityManager } from 'typeorm';
import { currentLogContext } from '../observability/log-context';
import { childTraceparent } from '../observability/traceparent';
import { activeTraceparent } from '../observability/tracing';

export interface NewEvent<T extends TopicName> {
  topic: T;
  /** Partition key: `tenantId:callId` for call topics so one call's events stay in order. */
  key: string;
  tenantId: string;
  payload: TopicMessage<T>['payload'];
  traceparent?: string;
  occurredAt?: Date;
}

/**
 * The traceparent an event enqueued now gets: it continues the trace of the request or event
 * being handled; with tracing on, the active span is its creation context (a span that is
 * exported). A caller that enqueues later, outside the request (a batching writer), captures
 * it while still in the request and passes it as `traceparent`.
 */
export function newEventTraceparent(): string {
  return activeTraceparent() ?? childTraceparent(currentLogContext().traceparent);
}

/** An outbox row ready to insert: topic, partition key and the validated envelope as JSON. */
export interface OutboxRow {
  topic: string;
  key: string;
  value: string;
  envelope: Envelope;
}

/**
 * Builds and validates the envelope of an event without writing it, for callers that insert
 * many outbox rows in one statement (e.g. a batching writer). The envelope is validated
 * against the topic's schema, so nothing invalid ever reaches the broker.
 */
export function outboxRowOf<T extends TopicName>(event: NewEvent<T>): OutboxRow {
  const schema = topics[event.topic];
  const traceparent = event.traceparent ?? newEventTraceparent();
  const envelope = schema.parse({
    id: randomUUID(),
    type: schema.shape.type.value,
    tenantId: event.tenantId,
    occurredAt: (event.occurredAt ?? new Date()).toISOString(),
    traceparent,
    payload: event.payload,
  }) as Envelope;
  return { topic: event.topic, key: event.key, value: JSON.stringify(envelope), envelope };
}

/**
 * Writes the event into the outbox inside the caller's transaction: the business row and the
 * event commit together or not at all. The relay publishes it afterwards. The envelope is
 * validated against the topic's schema here, so nothing invalid ever reaches the broker.
 */
export async function enqueueEvent<T extends TopicName>(manager: EntityManager, event: NewEvent<T>): Promise<Envelope> {
  const row = outboxRowOf(event);
  await manager.query('INSERT INTO outbox (topic, key, value) VALUES ($1, $2, $3)', [row.topic, row.key, row.value]);
  return row.envelope;
}
