import { randomUUID } from 'node:crypto';
import { deadLetterTopic, envelopeSchema } from '@thankstar/contracts';
import {
  consumerTransientRetries,
  deadLetters,
  type IncomingMessage,
  idempotent,
  type KafkaJsBus,
  type Subscription,
  startEventConsumer,
} from '@thankstar/platform';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adversarialDatabase, collect, databaseOutage, freshBus, openDatabase, until } from './support';

const schema = envelopeSchema('test.adversarial', z.object({ callId: z.string(), n: z.number().int() }));
type Event = z.infer<typeof schema>;

const counterValue = async (counter: typeof deadLetters | typeof consumerTransientRetries, group: string) =>
  (await counter.get()).values.filter((v) => v.labels.group === group).reduce((sum, v) => sum + v.value, 0);

// Real Postgres, real Kafka: the consumer's database goes away for ~2 s while events arrive. The
// events must all land (nothing dead-lettered, nothing lost); a poison message must still go to
// the DLQ at once while the consumer goes on.
describe('a consumer facing a database that refuses connections (real Postgres and Kafka)', () => {
  const database = adversarialDatabase('consumer');
  const { bus } = freshBus('adversarial-consumer');
  const topic = 'test.adversarial.events';
  const group = `adv-consumer-${randomUUID()}`;
  const attempts = new Map<string, number>();
  let ds: DataSource;
  let sub: Subscription | undefined;
  let dlq: { messages: IncomingMessage[]; sub: Subscription } | undefined;

  beforeAll(async () => {
    ds = await openDatabase(database);
    // n < 0 breaks the CHECK: a deterministic failure (23514), the poison of this test.
    await ds.query(
      'CREATE TABLE received (event_id uuid PRIMARY KEY, tenant_id uuid NOT NULL, n int NOT NULL CHECK (n >= 0))',
    );
    await bus.ensureTopics([
      { topic, partitions: 3 },
      { topic: deadLetterTopic(topic), partitions: 1 },
    ]);
    dlq = await collect(bus, deadLetterTopic(topic));
    sub = await startEventConsumer<Event>({
      bus,
      groupId: group,
      topic,
      schema,
      fromBeginning: true,
      handle: async (event) => {
        attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
        await idempotent<Event>(ds, 'adversarial', async (e, m) => {
          await m.query('INSERT INTO received (event_id, tenant_id, n) VALUES ($1, $2, $3)', [
            e.id,
            e.tenantId,
            e.payload.n,
          ]);
        })(event);
      },
    });
  });

  afterAll(async () => {
    await sub?.stop();
    await dlq?.sub.stop();
    await bus.close();
    await ds?.destroy();
  });

  const event = (tenantId: string, n: number): Event => ({
    id: randomUUID(),
    type: 'test.adversarial',
    tenantId,
    occurredAt: new Date().toISOString(),
    payload: { callId: `call-${n}`, n },
  });
  const publish = (b: KafkaJsBus, events: Event[]) =>
    b.publish(events.map((e) => ({ topic, key: `${e.tenantId}:${e.payload.callId}`, value: JSON.stringify(e) })));

  it('retries through a 2-second outage and loses nothing, with no dead letter', async () => {
    const tenantId = randomUUID();
    const events = Array.from({ length: 30 }, (_, i) => event(tenantId, i));
    const retriesBefore = await counterValue(consumerTransientRetries, group);
    const outage = databaseOutage(database, 2_000);
    // The outage has begun (connections terminated) before the events arrive.
    await new Promise((r) => setTimeout(r, 200));
    await publish(bus, events);
    await outage;
    const rows = await until(
      'every event stored',
      () =>
        ds.query('SELECT event_id FROM received WHERE tenant_id = $1', [tenantId]) as Promise<{ event_id: string }[]>,
      (r) => r.length >= events.length,
    );
    expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(events.map((e) => e.id)));
    // The outage was really met (the handler failed and was retried), and nothing was dead-lettered.
    expect(await counterValue(consumerTransientRetries, group)).toBeGreaterThan(retriesBefore);
    expect(await counterValue(deadLetters, group)).toBe(0);
    expect(dlq?.messages ?? []).toEqual([]);
  });

  it('sends a poison message to the DLQ at once (one attempt) and goes on with the next', async () => {
    const tenantId = randomUUID();
    const poison = event(tenantId, -1);
    const after = event(tenantId, 7);
    // Same key: the good event waits behind the poison in its partition, so it proves the consumer went on.
    await bus.publish([poison, after].map((e) => ({ topic, key: `${tenantId}:one-call`, value: JSON.stringify(e) })));
    await until(
      'the event after the poison stored',
      () => ds.query('SELECT 1 FROM received WHERE event_id = $1', [after.id]) as Promise<unknown[]>,
      (r) => r.length === 1,
    );
    const dead = await until(
      'the poison in the DLQ',
      () => dlq?.messages ?? [],
      (m) => m.length >= 1,
    );
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]?.value?.toString('utf8') ?? '{}').id).toBe(poison.id);
    expect(dead[0]?.headers['x-dlq-reason']).toMatch(/^HANDLER_FAILED: 23514: /);
    expect(attempts.get(poison.id)).toBe(1);
    expect(await ds.query('SELECT 1 FROM received WHERE event_id = $1', [poison.id])).toEqual([]);
  });
});
