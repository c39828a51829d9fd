import { randomUUID } from 'node:crypto';
import { deadLetterTopic, envelopeSchema } from '@thankstar/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startEventConsumer } from '../src/inbox/event-consumer';
import { KafkaJsBus, kafkaBrokersFromEnv } from '../src/kafka/kafkajs-bus';
import type { Subscription } from '../src/kafka/message-bus';
import { currentLogContext, type LogContext } from '../src/observability/log-context';
import { metricsRegistry } from '../src/observability/metrics';
import { parseTraceparent } from '../src/observability/traceparent';

// A schema of the test's own, so the test does not move with any service's contract.
const observedSchema = envelopeSchema('test.observed', z.object({ callId: z.string() }));
type Observed = z.infer<typeof observedSchema>;

// Real broker: a poison message and a good one go through startEventConsumer; the metrics
// count the dead letter and time both, and the handler runs inside the event's log context.
describe('observability of the event consumer (real Kafka)', () => {
  const bus = new KafkaJsBus({ clientId: 'observability-test', brokers: kafkaBrokersFromEnv() });
  const topic = `test.observability-${randomUUID()}`;
  const group = `test-observability-${randomUUID()}`;
  const seen: Array<{ event: Observed; context: LogContext }> = [];
  let subscription: Subscription | undefined;

  beforeAll(async () => {
    await bus.ensureTopics([
      { topic, partitions: 1 },
      { topic: deadLetterTopic(topic), partitions: 1 },
    ]);
    subscription = await startEventConsumer<Observed>({
      bus,
      groupId: group,
      topic,
      schema: observedSchema,
      fromBeginning: true,
      handle: async (event) => {
        seen.push({ event, context: currentLogContext() });
      },
    });
  });

  afterAll(async () => {
    await subscription?.stop();
    await bus.close();
  });

  it('counts the dead letter, times both messages and gives the handler the tenant, call and trace', async () => {
    const tenantId = randomUUID();
    const callId = `call-${randomUUID()}`;
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const good: Observed = {
      id: randomUUID(),
      type: 'test.observed',
      tenantId,
      occurredAt: new Date().toISOString(),
      traceparent,
      payload: { callId },
    };
    await bus.publish([
      { topic, key: `${tenantId}:poison`, value: '{not json' },
      { topic, key: `${tenantId}:${callId}`, value: JSON.stringify(good) },
    ]);

    for (let i = 0; i < 300 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.context).toMatchObject({
      tenantId,
      callId,
      eventId: good.id,
      topic,
      traceId: parseTraceparent(traceparent)?.traceId,
    });

    const text = await metricsRegistry.metrics();
    expect(text).toContain(`thankstar_dead_letters_total{topic="${topic}",group="${group}",reason="INVALID_JSON"} 1`);
    expect(text).toContain(
      `thankstar_consumer_handle_duration_seconds_count{topic="${topic}",group="${group}",outcome="dead_letter"} 1`,
    );
    expect(text).toContain(
      `thankstar_consumer_handle_duration_seconds_count{topic="${topic}",group="${group}",outcome="handled"} 1`,
    );
    expect(text).toMatch(
      new RegExp(`thankstar_consumer_lag_messages\\{topic="${topic}",group="${group}",partition="0"\\} \\d+`),
    );
  });
});
