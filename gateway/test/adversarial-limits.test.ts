import { randomUUID } from 'node:crypto';
import { KafkaJsBus, kafkaBrokersFromEnv } from '@thankstar/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CONFIG, type Config as LicensingConfig } from '../../services/licensing/src/config';
import type { TestApp } from '../../services/licensing/test/support';
import { type RunningGateway, startGateway } from '../src/server';
import { LiveClient } from './support/live-client';
import { popupEnvelope, popupsQuery, publishPopups, type ReceivedPopup } from './support/popups';

// Hostile neighbours: the real licensing service (its own database, real Kafka, its own keys) is
// the sign-in subgraph and the JWKS; the gateway runs behind one trusted proxy, as behind
// admin-ui's nginx, so X-Forwarded-For's last entry is the client.
let licensing: TestApp;
let eventually: typeof import('../../services/licensing/test/support').eventually;
let gateway: RunningGateway;
let bus: KafkaJsBus;
const clients: LiveClient<ReceivedPopup>[] = [];
let owner: { email: string; password: string; id: string };

const LOGIN = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { refreshToken user { id } } }';
const REFRESH = 'mutation ($r: String!) { refresh(refreshToken: $r) { refreshToken } }';
const LOGOUT = 'mutation { logout(refreshToken: "not-a-token") }';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
type Answer = { status: number; body: any };
const post = async (from: string, query: string, variables: object = {}, headers: Record<string, string> = {}) => {
  const res = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() } as Answer;
};
const codeOf = (a: Answer) => a.body.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  const support = await import('../../services/licensing/test/support');
  eventually = support.eventually;
  licensing = await support.startTestApp();
  const { hashPassword } = await import('../../services/licensing/src/identity/password');
  const tenantId = randomUUID();
  owner = { id: randomUUID(), email: `owner-${randomUUID()}@example.jp`, password: 'the owner’s own password' };
  await licensing.db.query(`INSERT INTO tenants (id, name) VALUES ($1, '近所の会社')`, [tenantId]);
  await licensing.db.query(
    `INSERT INTO users (id, tenant_id, email, name, password_hash, roles) VALUES ($1, $2, $3, 'Owner', $4, ARRAY['tenant-admin'])`,
    [owner.id, tenantId, owner.email, await hashPassword(owner.password)],
  );
  bus = new KafkaJsBus({ clientId: 'gateway-adversarial-test', brokers: kafkaBrokersFromEnv() });
  gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    instanceId: `adv-${randomUUID().slice(0, 8)}`,
    subgraphUrls: { licensing: `${licensing.url}/graphql` },
    jwksUrl: `${licensing.url}/.well-known/jwks.json`,
    kafkaBrokers: kafkaBrokersFromEnv(),
    introspection: false,
    trustedProxyHops: 1,
    limits: {
      // Small allowances that barely refill during the test, so "refused" and "allowed" are certain.
      rateLimits: {
        user: { burst: 1000, perSecond: 1000 },
        tenant: { burst: 1000, perSecond: 1000 },
        anonymous: { burst: 8, perSecond: 0.001 },
        refresh: { burst: 3, perSecond: 0.001 },
      },
    },
  });
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.dispose()));
  await gateway?.close();
  await bus?.close();
  await licensing?.close();
});

describe('sign-in limits through the gateway, by real client address', { timeout: 180_000 }, () => {
  it('an attacker failing the owner’s password at address A does not stop the owner at address B', async () => {
    // A long first delay makes "still waiting" certain however slow the machine. Licensing reads
    // its settings at start (CONFIG), so the running app's configuration is changed.
    const config = licensing.app.get<LicensingConfig>(CONFIG);
    const firstDelay = config.LOGIN_FIRST_DELAY_SECONDS;
    const maxDelay = config.LOGIN_MAX_DELAY_SECONDS;
    config.LOGIN_FIRST_DELAY_SECONDS = 600;
    config.LOGIN_MAX_DELAY_SECONDS = Math.max(maxDelay, 600);
    try {
      // The client's own X-Forwarded-For entries further left are not believed: only the last one.
      const attacker = 'spoofed-by-client, 198.51.100.7';
      for (let i = 0; i < 5; i++)
        expect(codeOf(await post(attacker, LOGIN, { e: owner.email, p: `guess ${i}` }))).toBe('INVALID_CREDENTIALS');
      const throttled = await post(attacker, LOGIN, { e: owner.email, p: owner.password });
      expect(codeOf(throttled)).toBe('LOGIN_THROTTLED');
      expect(throttled.body.errors[0].extensions.details.retryAfterSeconds).toBeGreaterThan(500);
      const own = await post('203.0.113.20', LOGIN, { e: owner.email, p: owner.password });
      expect(own.body.data.login.user.id).toBe(owner.id);
    } finally {
      config.LOGIN_FIRST_DELAY_SECONDS = firstDelay;
      config.LOGIN_MAX_DELAY_SECONDS = maxDelay;
    }
  });

  it('one client hammering from A behind the proxy does not block sign-in or refresh from B', async () => {
    const a = '198.51.100.50';
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await post(a, LOGOUT)).status);
    expect(statuses.slice(0, 8)).not.toContain(429);
    expect(statuses.slice(8)).toEqual([429, 429]);
    const refused = await post(a, LOGOUT);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.body.errors[0].extensions.retryAfterSeconds).toBeGreaterThan(0);

    const b = '203.0.113.30';
    const signedIn = await post(b, LOGIN, { e: owner.email, p: owner.password });
    expect(signedIn.body.data.login.user.id).toBe(owner.id);
    const refreshed = await post(b, REFRESH, { r: signedIn.body.data.login.refreshToken });
    expect(refreshed.body.data.refresh.refreshToken).toEqual(expect.any(String));
    // A's refresh has its own allowance, untouched by A's other calls; it runs out on its own.
    let token = refreshed.body.data.refresh.refreshToken as string;
    for (let i = 0; i < 3; i++) {
      const r = await post(a, REFRESH, { r: token });
      expect(codeOf(r)).toBeUndefined();
      token = r.body.data.refresh.refreshToken;
    }
    expect(codeOf(await post(a, REFRESH, { r: token }))).toBe('RATE_LIMITED');
  });

  it('limits requests with an invalid bearer token like anonymous ones, never a valid token', async () => {
    const c = '198.51.100.60';
    const bad = { authorization: 'Bearer not-a-token' };
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await post(c, '{ me { id } }', {}, bad)).status);
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(401));
    expect(statuses[8]).toBe(429);
    // The address's anonymous allowance is spent by the bad tokens; a real user there still works.
    expect((await post(c, LOGOUT)).status).toBe(429);
    const valid = { authorization: `Bearer ${await licensing.sign({ tenantId: randomUUID() })}` };
    expect((await post(c, '{ me { id } }', {}, valid)).status).not.toBe(429);
  });
});

describe('graphql-ws limits', { timeout: 120_000 }, () => {
  const operator = async (tenantId: string) => {
    const token = await licensing.sign({ tenantId, roles: ['operator'] });
    const client = new LiveClient<ReceivedPopup>(gateway.url, { authorization: `Bearer ${token}` });
    clients.push(client);
    await client.connected;
    return { client, token };
  };
  /** A new consumer group starts at the end of the topic: ring until a popup gets through. */
  const untilLive = async (client: LiveClient<ReceivedPopup>, tenantId: string) => {
    for (let attempt = 0; attempt < 60; attempt++) {
      const warmUp = popupEnvelope(tenantId, 'warm-up');
      await publishPopups(bus, [warmUp]);
      if (await client.within(1_000, (p) => p.popupId === warmUp.payload.popupId)) return;
    }
    throw new Error('the popup path never became live');
  };

  it('runs 20 subscriptions on a socket and refuses the 21st; refuses a 300-alias document', async () => {
    const tenantId = randomUUID();
    const { client } = await operator(tenantId);
    for (let i = 0; i < 20; i++) client.subscribe(popupsQuery, 'popups');
    await untilLive(client, tenantId);
    client.subscribe(popupsQuery, 'popups');
    const [limit] = (await client.firstError()) as { extensions: { code: string } }[];
    expect(limit?.extensions.code).toBe('SUBSCRIPTION_LIMIT_REACHED');

    const popup = popupEnvelope(tenantId, '佐藤 花子');
    await publishPopups(bus, [popup]);
    const copies = await eventually(() => {
      const n = client.received.filter((p) => p.popupId === popup.payload.popupId).length;
      return n >= 20 ? n : undefined;
    }, 'the popup on all 20 subscriptions');
    expect(copies).toBe(20);

    const { client: other } = await operator(randomUUID());
    const aliases = Array.from({ length: 300 }, (_, i) => `a${i}: popupId`).join(' ');
    other.subscribe(`subscription { popups { ${aliases} } }`, 'popups');
    const [refused] = (await other.firstError()) as { message: string; extensions: { code: string } }[];
    expect(refused?.extensions.code).toBe('DOCUMENT_REFUSED');
    expect(refused?.message).toMatch(/別名（エイリアス）/);
  });

  it('closes a socket that sends an oversized message, and only that one', async () => {
    const victimTenant = randomUUID();
    const { client: victim } = await operator(victimTenant);
    victim.subscribe(popupsQuery, 'popups');
    await untilLive(victim, victimTenant);

    const token = await licensing.sign({ tenantId: randomUUID(), roles: ['operator'] });
    const raw = new WebSocket(gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => raw.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      raw.on('open', () =>
        raw.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
      );
      raw.on('message', (data) => (JSON.parse(String(data)).type === 'connection_ack' ? resolve() : undefined));
      raw.on('error', reject);
    });
    raw.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `# ${'x'.repeat(100 * 1024)}` } }));
    expect(await closed).toBe(1009);

    const popup = popupEnvelope(victimTenant, '鈴木 一郎');
    await publishPopups(bus, [popup]);
    expect((await victim.until((p) => p.popupId === popup.payload.popupId)).customer?.name).toBe('鈴木 一郎');
  });
});
