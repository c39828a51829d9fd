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
 * Writes the event into the outbox inside the caller's transaction: the business row and the
 * event commit together or not at all. The relay publishes it afterwards. The envelope is
 * validated against the topic's schema here, so nothing invalid ever reaches the broker.
 */
export async function enqueueEvent<T extends TopicName>(manager: EntityManager, event: NewEvent<T>): Promise<Envelope> {
  const schema = topics[event.topic];
  // Without an explicit one, the event continues the trace of the request or event being handled:
  // with tracing on, the active span is its creation context (a span that is exported).
  const traceparent = event.traceparent ?? activeTraceparent() ?? childTraceparent(currentLogContext().traceparent);
  const envelope = schema.parse({
    id: randomUUID(),
    type: schema.shape.type.value,
    tenantId: event.tenantId,
    occurredAt: (event.occurredAt ?? new Date()).toISOString(),
    traceparent,
    payload: event.payload,
  }) as Envelope;
  await manager.query('INSERT INTO outbox (topic, key, value) VALUES ($1, $2, $3)', [
    event.topic,
    event.key,
    JSON.stringify(envelope),
  ]);
  return envelope;
}
