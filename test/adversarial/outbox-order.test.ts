import { randomUUID } from 'node:crypto';
import { databaseUrl, type IncomingMessage, OutboxRelay, type Subscription } from '@thankstar/platform';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adversarialDatabase, collect, freshBus, openDatabase, until } from './support';

const topic = 'test.adversarial.order';
const markerOf = (m: IncomingMessage) => JSON.parse(m.value?.toString('utf8') ?? '{}').marker as string;

// The relay reads ids as text (bigint); its batch must still be in numeric id order. Ordered as
// text, '10' < '100' < '1000' < '9' < '99', and a call's later events went out ahead of its
// earlier ones (telephony's durability test: [ringing, transferred, ended, answered]).
describe('outbox relay publishes in numeric id order across digit boundaries (real Postgres and Kafka)', () => {
  const database = adversarialDatabase('outbox_order');
  const { bus } = freshBus('adversarial-outbox-order');
  let ds: DataSource;
  let relay: OutboxRelay;
  let seen: { messages: IncomingMessage[]; sub: Subscription };

  beforeAll(async () => {
    ds = await openDatabase(database);
    await bus.ensureTopics([{ topic, partitions: 1 }]);
    seen = await collect(bus, topic);
    relay = new OutboxRelay(ds, bus, databaseUrl(database.service), { pollIntervalMs: 200 });
  });

  afterAll(async () => {
    await relay?.stop();
    await seen?.sub.stop();
    await bus.close();
    await ds?.destroy();
  });

  it('sends one key’s rows 9, 10, 99, 100, 1000 in that order', async () => {
    const key = `${randomUUID()}:call-1`;
    const ids = [9, 10, 99, 100, 1000];
    for (const id of ids) {
      await ds.query('INSERT INTO outbox (id, topic, key, value) VALUES ($1, $2, $3, $4)', [
        id,
        topic,
        key,
        JSON.stringify({ marker: `m${id}` }),
      ]);
    }
    await relay.start();
    await until(
      'the outbox drained',
      () => relay.backlog(),
      (n) => n === 0,
    );
    const markers = await until(
      'all rows delivered',
      () => seen.messages.map(markerOf),
      (m) => m.length >= ids.length,
    );
    expect(markers).toEqual(ids.map((id) => `m${id}`));
  });
});
