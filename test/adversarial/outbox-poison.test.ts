import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  databaseUrl,
  type IncomingMessage,
  OutboxRelay,
  PlatformModule,
  type Subscription,
  TOKEN_VERIFIER,
} from '@thankstar/platform';
import { createTestAuth } from '@thankstar/platform/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adversarialDatabase, collect, freshBus, openDatabase, until } from './support';

const topic = 'test.adversarial.popups';
/** The size of the popup that stopped the pipeline: over the broker's 1 MiB default. */
const POISON_BYTES = 1_160_000;

/** An outbox row's value: a marker the test finds again on the broker; `pad` makes it large. */
const rowValue = (marker: string, pad = 0) => JSON.stringify({ marker, pad: 'x'.repeat(pad) });
const markerOf = (m: IncomingMessage) => JSON.parse(m.value?.toString('utf8') ?? '{}').marker as string;

async function insert(ds: DataSource, key: string, marker: string, pad = 0): Promise<string> {
  const [row] = await ds.query('INSERT INTO outbox (topic, key, value) VALUES ($1, $2, $3) RETURNING id::text', [
    topic,
    key,
    rowValue(marker, pad),
  ]);
  return row.id;
}

const parkedOf = (ds: DataSource) =>
  ds.query('SELECT id::text, key, reason, behind::text FROM outbox_parked ORDER BY outbox_parked.id') as Promise<
    { id: string; key: string; reason: string; behind: string | null }[]
  >;

// Real Postgres, real Kafka. The broker itself refuses the 1.16 MB row (the relay's own size check
// is lifted here): the row is parked with the broker's reason, the other tenants' rows behind it
// are delivered, and the later rows of its key are held behind it, not sent ahead of it.
describe('outbox relay and a row the broker refuses for good (real Postgres and Kafka)', () => {
  const database = adversarialDatabase('outbox_broker');
  const { bus } = freshBus('adversarial-outbox');
  const lines: string[] = [];
  let ds: DataSource;
  let relay: OutboxRelay;
  let seen: { messages: IncomingMessage[]; sub: Subscription };

  beforeAll(async () => {
    ds = await openDatabase(database);
    await bus.ensureTopics([{ topic, partitions: 3 }]);
    seen = await collect(bus, topic);
    relay = new OutboxRelay(ds, bus, databaseUrl(database.service), {
      maxMessageBytes: 50_000_000,
      pollIntervalMs: 200,
      logger: { warn: (m) => lines.push(m), error: (m) => lines.push(m) },
    });
  });

  afterAll(async () => {
    await relay?.stop();
    await seen?.sub.stop();
    await bus.close();
    await ds?.destroy();
  });

  it('parks the refused row with its reason, delivers the other tenants and holds its key behind it', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const first = await insert(ds, `${a}:call-1`, 'a1');
    const poison = await insert(ds, `${a}:call-1`, 'a2-poison', POISON_BYTES);
    const held = await insert(ds, `${a}:call-1`, 'a3');
    await insert(ds, `${b}:call-2`, 'b1');
    await insert(ds, `${c}:call-3`, 'c1');
    await relay.start();

    await until(
      'the outbox drained',
      () => relay.backlog(),
      (n) => n === 0,
    );
    const delivered = await until(
      'the other tenants delivered',
      () => new Set(seen.messages.map(markerOf)),
      (s) => s.has('a1') && s.has('b1') && s.has('c1'),
    );
    expect([...delivered].sort()).toEqual(['a1', 'b1', 'c1']);
    const parked = await parkedOf(ds);
    expect(parked.map((p) => [p.id, p.behind])).toEqual([
      [poison, null],
      [held, poison],
    ]);
    expect(parked[0]?.reason).toMatch(/^MESSAGE_TOO_LARGE: /);
    expect(parked[1]?.reason).toMatch(/^HELD_BEHIND_PARKED: /);
    expect(lines.some((l) => l.includes(`outbox row ${poison}`) && l.includes('MESSAGE_TOO_LARGE'))).toBe(true);
    expect(BigInt(first) < BigInt(poison)).toBe(true);

    // Later rows: the parked key stays held, the others flow.
    const later = await insert(ds, `${a}:call-1`, 'a4');
    await insert(ds, `${b}:call-2`, 'b2');
    await until(
      'b2 delivered',
      () => seen.messages.map(markerOf),
      (m) => m.includes('b2'),
    );
    expect(seen.messages.map(markerOf)).not.toContain('a4');
    expect((await parkedOf(ds)).map((p) => [p.id, p.behind])).toEqual([
      [poison, null],
      [held, poison],
      [later, poison],
    ]);

    // A held row cannot be replayed ahead of its head; the head's replay (still refused) parks the
    // key's rows again in order, and nothing of the key reaches the broker ahead of it.
    await expect(relay.replay(held)).rejects.toMatchObject({ code: 'OUTBOX_ROW_HELD' });
    await expect(relay.replay(poison)).resolves.toEqual({ replayed: [poison, held, later] });
    await until(
      'the replayed rows parked again',
      () => parkedOf(ds),
      (p) => p.length === 3,
    );
    await until(
      'the outbox drained',
      () => relay.backlog(),
      (n) => n === 0,
    );
    expect((await parkedOf(ds)).map((p) => [p.id, p.behind])).toEqual([
      [poison, null],
      [held, poison],
      [later, poison],
    ]);
    const markers = seen.messages.map(markerOf);
    expect(markers.filter((m) => m.startsWith('a'))).toEqual(markers.filter((m) => m === 'a1'));
  });
});

@Module({
  imports: [
    PlatformModule.forService({
      ...adversarialDatabase('outbox_app'),
      typePaths: [join(__dirname, 'fixtures/ping.graphql')],
    }),
  ],
})
class PlatformOnlyModule {}

// The platform module as every service has it: the relay's own size check parks the 1.16 MB
// popup before it is sent, and platform staff (only) see and replay parked rows over REST.
describe('parked rows over REST (PlatformModule, real Postgres and Kafka)', () => {
  const database = adversarialDatabase('outbox_app');
  let ds: DataSource;
  let app: INestApplication;
  let url: string;
  let auth: Awaited<ReturnType<typeof createTestAuth>>;
  let seen: { messages: IncomingMessage[]; sub: Subscription };
  const fresh = freshBus('adversarial-outbox-app');

  beforeAll(async () => {
    process.env.KAFKA_TOPIC_PREFIX = fresh.prefix;
    process.env.KAFKA_GROUP_PREFIX = `adv-${randomUUID()}`;
    ds = await openDatabase(database);
    // Before the app starts creating the platform's topics on the same prefix (concurrent creation races).
    await fresh.bus.ensureTopics([{ topic, partitions: 3 }]);
    auth = await createTestAuth();
    const moduleRef = await Test.createTestingModule({ imports: [PlatformOnlyModule] })
      .overrideProvider(TOKEN_VERIFIER)
      .useValue(auth.verifier)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    seen = await collect(fresh.bus, topic);
  });

  afterAll(async () => {
    await app?.close();
    await seen?.sub.stop();
    await fresh.bus.close();
    await ds?.destroy();
    delete process.env.KAFKA_TOPIC_PREFIX;
  });

  const call = async (method: string, path: string, roles?: ('operator' | 'platform-admin')[]) => {
    const token = roles ? await auth.sign({ tenantId: randomUUID(), roles }) : undefined;
    const res = await fetch(`${url}${path}`, {
      method,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('parks the oversized popup, delivers the rest, and shows and replays it to platform admins only', async () => {
    const tenant = randomUUID();
    const other = randomUUID();
    const poison = await insert(ds, `${tenant}:call-9`, 'p-poison', POISON_BYTES);
    const held = await insert(ds, `${tenant}:call-9`, 'p-after');
    await insert(ds, `${other}:call-1`, 'o1');
    await until(
      'o1 delivered',
      () => seen.messages.map(markerOf),
      (m) => m.includes('o1'),
    );
    await until(
      'two rows parked',
      () => parkedOf(ds),
      (p) => p.length === 2,
    );
    expect(seen.messages.map(markerOf)).toEqual(['o1']);

    expect((await call('GET', '/v1/outbox/parked')).status).toBe(401);
    const refused = await call('GET', '/v1/outbox/parked', ['operator']);
    expect(refused).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const list = await call('GET', '/v1/outbox/parked', ['platform-admin']);
    expect(list.status).toBe(200);
    expect(list.body.count).toBe(2);
    expect(list.body.rows).toEqual([
      expect.objectContaining({
        id: poison,
        topic,
        behind: null,
        reason: expect.stringMatching(/^MESSAGE_TOO_LARGE: /),
      }),
      expect.objectContaining({ id: held, behind: poison, reason: expect.stringMatching(/^HELD_BEHIND_PARKED: /) }),
    ]);
    expect((list.body.rows as { bytes: number }[])[0]?.bytes).toBeGreaterThan(POISON_BYTES);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/thankstar_outbox_parked\{[^}]*outbox="adversarial_outbox_app"[^}]*\} 2/);

    expect(await call('POST', `/v1/outbox/parked/${poison}/replay`, ['operator'])).toMatchObject({ status: 403 });
    expect(await call('POST', '/v1/outbox/parked/abc/replay', ['platform-admin'])).toMatchObject({
      status: 400,
      body: { code: 'INVALID_OUTBOX_ID' },
    });
    expect(await call('POST', '/v1/outbox/parked/999999999/replay', ['platform-admin'])).toMatchObject({
      status: 404,
      body: { code: 'OUTBOX_ROW_NOT_FOUND' },
    });
    expect(await call('POST', `/v1/outbox/parked/${held}/replay`, ['platform-admin'])).toMatchObject({
      status: 409,
      body: { code: 'OUTBOX_ROW_HELD' },
    });
    expect(await call('POST', `/v1/outbox/parked/${poison}/replay`, ['platform-admin'])).toMatchObject({
      status: 202,
      body: { replayed: [poison, held] },
    });
    // Still too large: parked again, in order, and its follower still not sent.
    await until(
      'parked again',
      () => parkedOf(ds),
      (p) => p.length === 2,
    );
    await until(
      'the outbox drained',
      () => ds.query('SELECT count(*)::int AS n FROM outbox'),
      (r) => r[0].n === 0,
    );
    expect(seen.messages.map(markerOf)).toEqual(['o1']);
  });
});
