import { randomUUID } from 'node:crypto';
import { deadLetterTopic, liveCloseCodes, POPUPS_TOPIC } from '@thankstar/contracts';
import { KafkaJsBus, kafkaBrokersFromEnv } from '@thankstar/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from '../src/server';
import { startTestJwks } from './support/jwks-server';
import { LiveClient } from './support/live-client';
import { popupEnvelope, popupsQuery, publishPopups, type ReceivedPopup } from './support/popups';

type Jwks = Awaited<ReturnType<typeof startTestJwks>>;

let jwks: Jwks;
let bus: KafkaJsBus;
const gateways: RunningGateway[] = [];
const clients: LiveClient<ReceivedPopup>[] = [];

const start = async () => {
  const gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    instanceId: `test-${randomUUID().slice(0, 8)}`,
    subgraphUrls: {},
    jwksUrl: jwks.url,
    kafkaBrokers: kafkaBrokersFromEnv(),
    introspection: false,
  });
  gateways.push(gateway);
  return gateway;
};

const operator = async (gateway: RunningGateway, tenantId: string) => {
  const client = new LiveClient<ReceivedPopup>(gateway.url, {
    authorization: `Bearer ${await jwks.sign({ tenantId, roles: ['operator'] })}`,
  });
  clients.push(client);
  client.subscribe(popupsQuery, 'popups');
  return client;
};

/**
 * A new consumer group starts at the end of the topic, and a subscription registers only after
 * its message reached the server: ring until one popup gets through, then the path is live.
 */
const untilLive = async (client: LiveClient<ReceivedPopup>, tenantId: string) => {
  for (let attempt = 0; attempt < 60; attempt++) {
    const warmUp = popupEnvelope(tenantId, 'warm-up');
    await publishPopups(bus, [warmUp]);
    if (await client.within(1_000, (p) => p.popupId === warmUp.payload.popupId)) return;
  }
  throw new Error('the popup path never became live');
};

beforeAll(async () => {
  process.env.KAFKA_GROUP_PREFIX = `gateway-test-${randomUUID().slice(0, 8)}`;
  jwks = await startTestJwks();
  bus = new KafkaJsBus({ clientId: 'gateway-test', brokers: kafkaBrokersFromEnv() });
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.dispose()));
  await Promise.allSettled(gateways.map((g) => g.close()));
  await bus?.close();
  await jwks?.close();
});

describe('popups over graphql-ws', () => {
  it("pushes a tenant's popup to its operators and never to another tenant's", async () => {
    const gateway = await start();
    const tenantA = randomUUID();
    const tenantB = randomUUID();
    const a = await operator(gateway, tenantA);
    const b = await operator(gateway, tenantB);
    await untilLive(a, tenantA);
    await untilLive(b, tenantB);

    const popupsOfA = [popupEnvelope(tenantA, '佐藤 花子'), popupEnvelope(tenantA, '鈴木 一郎')];
    await publishPopups(bus, popupsOfA);
    for (const popup of popupsOfA) {
      const got = await a.until((p) => p.popupId === popup.payload.popupId);
      expect(got).toMatchObject({
        callId: popup.payload.callId,
        class: 'CUSTOMER',
        customer: { name: popup.payload.customer?.name },
      });
    }

    // Everything of A was already fanned out; B's socket is ordered, so once B's own popup
    // arrives, any leak of A's popups to B would have arrived before it.
    const sentinel = popupEnvelope(tenantB);
    await publishPopups(bus, [sentinel]);
    await b.until((p) => p.popupId === sentinel.payload.popupId);
    const idsOfA = new Set(a.received.map((p) => p.popupId));
    expect(b.received.filter((p) => idsOfA.has(p.popupId))).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it('refuses a socket without a token, with a bad token, or with an expired token', async () => {
    const gateway = gateways[0] ?? (await start());
    const none = new LiveClient(gateway.url, {});
    const garbage = new LiveClient(gateway.url, { authorization: 'Bearer not-a-jwt' });
    const other = await (await import('@thankstar/platform/testing')).createTestAuth();
    const foreignKey = new LiveClient(gateway.url, {
      authorization: `Bearer ${await other.sign({ tenantId: randomUUID() })}`,
    });
    const expired = new LiveClient(gateway.url, {
      authorization: `Bearer ${await jwks.sign({ tenantId: randomUUID(), ttlSeconds: -60 })}`,
    });
    clients.push(none, garbage, foreignKey, expired);

    expect((await none.closed).code).toBe(liveCloseCodes.UNAUTHENTICATED);
    expect(await garbage.closed).toMatchObject({ code: liveCloseCodes.UNAUTHENTICATED });
    expect(await foreignKey.closed).toMatchObject({ code: liveCloseCodes.UNAUTHENTICATED });
    const closed = await expired.closed;
    expect(closed.code).toBe(liveCloseCodes.TOKEN_EXPIRED);
    expect(closed.reason).toMatch(/^TOKEN_EXPIRED/);
  });

  it('refuses popups to a role that does not take calls', async () => {
    const gateway = gateways[0] ?? (await start());
    const client = new LiveClient(gateway.url, {
      authorization: `Bearer ${await jwks.sign({ tenantId: randomUUID(), roles: ['back-office'] })}`,
    });
    clients.push(client);
    client.subscribe(popupsQuery, 'popups');
    expect(JSON.stringify(await client.firstError())).toMatch(/FORBIDDEN/);
  });

  it('closes the socket with TOKEN_EXPIRED when the token runs out', async () => {
    const gateway = gateways[0] ?? (await start());
    const client = new LiveClient(gateway.url, {
      authorization: `Bearer ${await jwks.sign({ tenantId: randomUUID(), ttlSeconds: 2 })}`,
    });
    clients.push(client);
    client.subscribe(popupsQuery, 'popups');
    const closed = await client.closed;
    expect(closed.code).toBe(liveCloseCodes.TOKEN_EXPIRED);
    expect(closed.reason).toMatch(/refresh/);
  });

  it('two gateway instances each deliver every popup of the tenant to their own sockets', async () => {
    const [one, two] = [gateways[0] ?? (await start()), await start()];
    const tenantA = randomUUID();
    const tenantB = randomUUID();
    const aOnOne = await operator(one, tenantA);
    const aOnTwo = await operator(two, tenantA);
    const bOnTwo = await operator(two, tenantB);
    await untilLive(aOnOne, tenantA);
    await untilLive(aOnTwo, tenantA);
    await untilLive(bOnTwo, tenantB);

    const popupsOfA = Array.from({ length: 5 }, () => popupEnvelope(tenantA));
    await publishPopups(bus, popupsOfA);
    for (const popup of popupsOfA) {
      await aOnOne.until((p) => p.popupId === popup.payload.popupId);
      await aOnTwo.until((p) => p.popupId === popup.payload.popupId);
    }
    const sentinel = popupEnvelope(tenantB);
    await publishPopups(bus, [sentinel]);
    await bOnTwo.until((p) => p.popupId === sentinel.payload.popupId);
    const idsOfA = new Set(popupsOfA.map((p) => p.payload.popupId));
    expect(bOnTwo.received.filter((p) => idsOfA.has(p.popupId))).toEqual([]);
  });

  it('sends a poison popup message to the dead-letter topic and keeps delivering', async () => {
    const gateway = gateways[0] ?? (await start());
    const tenant = randomUUID();
    const client = await operator(gateway, tenant);
    await untilLive(client, tenant);

    // Every gateway instance of this file dead-letters the poison message under its own group:
    // wait for this instance's copy.
    const consumer = `${process.env.KAFKA_GROUP_PREFIX}.gateway.${gateway.instanceId}`;
    const marker = `poison-${randomUUID()}`;
    let deadLettered: (reason: string) => void = () => {};
    const poisonReason = new Promise<string>((resolve) => {
      deadLettered = resolve;
    });
    const dlq = await bus.subscribe({
      groupId: `${process.env.KAFKA_GROUP_PREFIX}.dlq-reader`,
      topics: [deadLetterTopic(POPUPS_TOPIC)],
      fromBeginning: true,
      handle: async (message) => {
        const value = message.value?.toString('utf8') ?? '';
        if (value.includes(marker) && message.headers['x-dlq-consumer'] === consumer) {
          deadLettered(message.headers['x-dlq-reason'] ?? '');
        }
      },
    });
    try {
      await bus.publish([
        { topic: POPUPS_TOPIC, key: `${tenant}:poison`, value: `{"not": "a popup", "m": "${marker}"}` },
      ]);
      const good = popupEnvelope(tenant);
      await publishPopups(bus, [good]);
      await client.until((p) => p.popupId === good.payload.popupId);
      expect(await poisonReason).toMatch(/^INVALID_EVENT/);
    } finally {
      await dlq.stop();
    }
  });
});
