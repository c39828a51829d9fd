import { randomUUID } from 'node:crypto';
import {
  CALL_EVENTS_TOPIC,
  type CallEventPayload,
  callEventSchema,
  INTERACTIONS_TOPIC,
  interactionChangeSchema,
  liveCloseCodes,
} from '@thankstar/contracts';
import { KafkaJsBus, kafkaBrokersFromEnv } from '@thankstar/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningGateway, startGateway } from '../src/server';
import { startTestJwks } from './support/jwks-server';
import { LiveClient } from './support/live-client';
import { popupEnvelope, publishPopups } from './support/popups';

type Jwks = Awaited<ReturnType<typeof startTestJwks>>;
let jwks: Jwks;
let bus: KafkaJsBus;
let gateway: RunningGateway;
const clients: LiveClient[] = [];

beforeAll(async () => {
  process.env.KAFKA_GROUP_PREFIX = `gateway-live-${randomUUID().slice(0, 8)}`;
  jwks = await startTestJwks();
  bus = new KafkaJsBus({ clientId: 'gateway-live-test', brokers: kafkaBrokersFromEnv() });
  gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    instanceId: `live-${randomUUID().slice(0, 8)}`,
    subgraphUrls: {},
    jwksUrl: jwks.url,
    kafkaBrokers: kafkaBrokersFromEnv(),
    introspection: false,
    limits: { maxPendingEvents: 20, maxBufferedBytes: 256 * 1024 },
  });
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.dispose()));
  await gateway?.close();
  await bus?.close();
  await jwks?.close();
});

const bearer = async (tenantId: string) => `Bearer ${await jwks.sign({ tenantId })}`;
const subscriber = async (tenantId: string, query: string, field: string) => {
  const client = new LiveClient(gateway.url, { authorization: await bearer(tenantId) });
  clients.push(client);
  client.subscribe(query, field);
  return client;
};

const number = { raw: '0312345678', e164: '+81312345678', display: '03-1234-5678', valid: true, withheldReason: null };
const callEvent = (tenantId: string, callId: string, event: CallEventPayload['event']) =>
  callEventSchema.parse({
    id: randomUUID(),
    type: 'telephony.call-event',
    tenantId,
    occurredAt: new Date().toISOString(),
    payload: {
      callId,
      event,
      from: number,
      to: number,
      source: 'webhook',
      at: new Date().toISOString(),
      operatorId: 'op-7',
    },
  });
const publishCallEvents = (events: ReturnType<typeof callEvent>[]) =>
  bus.publish(
    events.map((e) => ({
      topic: CALL_EVENTS_TOPIC,
      key: `${e.tenantId}:${e.payload.callId}`,
      value: JSON.stringify(e),
    })),
  );

type CallUpdateSeen = { callId: string; event: string; operatorId: string | null };
const callUpdatesQuery = 'subscription { callUpdates { callId event operatorId at } }';

/** Rings (with answered updates) until one arrives: the consumer and the subscription are live. */
async function untilCallUpdatesLive(client: LiveClient<CallUpdateSeen>, tenantId: string) {
  for (let attempt = 0; attempt < 60; attempt++) {
    const callId = `warm-${randomUUID()}`;
    await publishCallEvents([callEvent(tenantId, callId, 'answered')]);
    if (await client.within(1_000, (u) => u.callId === callId)) return;
  }
  throw new Error('call updates never became live');
}

describe('call status and interaction updates', () => {
  it("pushes a call's answered/transferred/ended to its tenant only, and leaves ringing to the popup", async () => {
    const tenantA = randomUUID();
    const tenantB = randomUUID();
    const a = (await subscriber(tenantA, callUpdatesQuery, 'callUpdates')) as LiveClient<CallUpdateSeen>;
    const b = (await subscriber(tenantB, callUpdatesQuery, 'callUpdates')) as LiveClient<CallUpdateSeen>;
    await untilCallUpdatesLive(a, tenantA);
    await untilCallUpdatesLive(b, tenantB);

    const callId = `call-${randomUUID()}`;
    // One key, one partition: the events arrive in this order.
    await publishCallEvents(
      ['ringing', 'answered', 'transferred', 'ended'].map((e) =>
        callEvent(tenantA, callId, e as CallEventPayload['event']),
      ),
    );
    await a.until((u) => u.callId === callId && u.event === 'ENDED');
    expect(a.received.filter((u) => u.callId === callId)).toEqual([
      { callId, event: 'ANSWERED', operatorId: 'op-7', at: expect.any(String) },
      { callId, event: 'TRANSFERRED', operatorId: 'op-7', at: expect.any(String) },
      { callId, event: 'ENDED', operatorId: 'op-7', at: expect.any(String) },
    ]);

    const sentinel = `call-${randomUUID()}`;
    await publishCallEvents([callEvent(tenantB, sentinel, 'missed')]);
    await b.until((u) => u.callId === sentinel);
    expect(b.received.filter((u) => u.callId === callId)).toEqual([]);
  });

  it('pushes a colleague’s note to the operators of the tenant', async () => {
    const tenant = randomUUID();
    type Seen = { kind: string; callId: string | null; notes: string | null; by: { name: string | null } };
    const client = (await subscriber(
      tenant,
      'subscription { interactionUpdates { kind callId notes by { name } } }',
      'interactionUpdates',
    )) as LiveClient<Seen>;
    const change = (callId: string, notes: string) =>
      interactionChangeSchema.parse({
        id: randomUUID(),
        type: 'customers.interaction-change',
        tenantId: tenant,
        occurredAt: new Date().toISOString(),
        payload: {
          kind: 'updated',
          interactionId: randomUUID(),
          callId,
          popupId: randomUUID(),
          customerId: null,
          by: { userId: 'u-1', name: '鈴木' },
          notes,
          outcome: null,
          followUpOn: null,
          followUpAssigneeId: null,
          handledBy: [],
          customer: null,
          at: new Date().toISOString(),
        },
      });
    for (let attempt = 0; attempt < 60; attempt++) {
      const callId = `call-${randomUUID()}`;
      await bus.publish([
        {
          topic: INTERACTIONS_TOPIC,
          key: `${tenant}:${callId}`,
          value: JSON.stringify(change(callId, '折り返し希望')),
        },
      ]);
      const seen = await client.within(1_000, (u) => u.callId === callId);
      if (seen) {
        expect(seen).toEqual({ kind: 'UPDATED', callId, notes: '折り返し希望', by: { name: '鈴木' } });
        return;
      }
    }
    throw new Error('interaction updates never arrived');
  });
});

describe('slow consumers', () => {
  it('cuts off a client that stops reading (4408) while the others of the tenant get every popup', async () => {
    const tenant = randomUUID();
    const query = 'subscription { popups { popupId lineLabel } }';
    type Seen = { popupId: string; lineLabel: string };
    const fast = (await subscriber(tenant, query, 'popups')) as LiveClient<Seen>;

    // The slow client speaks the protocol by hand, so that it can stop reading its socket.
    const slow = new WebSocket(gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const slowClosed = new Promise<number>((resolve) => slow.on('close', (code) => resolve(code)));
    const slowReceived: string[] = [];
    await new Promise<void>((resolve, reject) => {
      slow.once('error', reject);
      slow.once('open', async () => {
        slow.send(JSON.stringify({ type: 'connection_init', payload: { authorization: await bearer(tenant) } }));
      });
      slow.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; payload?: { data?: { popups?: Seen } } };
        if (message.type === 'connection_ack') {
          slow.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        }
        if (message.type === 'next' && message.payload?.data?.popups) {
          slowReceived.push(message.payload.data.popups.popupId);
          resolve();
        }
      });
      // Both clients are live once a warm-up popup reached them.
      void (async () => {
        for (let attempt = 0; attempt < 60 && slowReceived.length === 0; attempt++) {
          const warmUp = popupEnvelope(tenant);
          await publishPopups(bus, [warmUp]);
          await fast.within(1_000, (p) => p.popupId === warmUp.payload.popupId);
        }
      })();
    });
    await fast.until(() => true);

    // Stop reading: the kernel buffers fill, then the gateway's queue for this socket.
    (slow as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const bigLabel = '東京店'.repeat(20_000); // ~180 KB per popup
    const burst = Array.from({ length: 120 }, () => {
      const popup = popupEnvelope(tenant);
      popup.payload.lineLabel = bigLabel;
      return popup;
    });
    // Ten at a time, each ten once the reading client has them: it never falls behind, while
    // the paused one's backlog only grows.
    for (let i = 0; i < burst.length; i += 10) {
      const chunk = burst.slice(i, i + 10);
      await publishPopups(bus, chunk);
      for (const popup of chunk) await fast.until((p) => p.popupId === popup.payload.popupId);
    }

    (slow as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await slowClosed).toBe(liveCloseCodes.TOO_SLOW);
    expect(slowReceived.length).toBeLessThan(burst.length);
    expect(gateway.liveConnections()).toBeGreaterThanOrEqual(1);
  }, 180_000); // ~20 MB through Kafka and two sockets: slow on a loaded 2-core machine
});
