/**
 * The platform's spine, end to end with real parts only: the built services and gateway run as
 * processes (deploy/local/stack.mjs) on a throwaway set of databases and Kafka topics; calls
 * arrive as signed webhooks; operators are real graphql-ws clients.
 */
import { randomUUID } from 'node:crypto';
import { subscribeWhenTopicsExist } from '@thankstar/platform';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module shared with `npm start`
import { prepareDatabases, startStack } from '../../deploy/local/stack.mjs';
import { gql, login, ring } from '../support/http';
import { type PopupWatcher, tryConnect, watchPopups } from '../support/live';
import { type Mailbox, startMailbox } from '../support/mailbox.mjs';

const demo = {
  operator: { email: 'operator@demo.thankstar.jp', password: 'demo-operator-2026' },
  admin: { email: 'admin@demo.thankstar.jp', password: 'demo-admin-2026' },
  webhook: { keyId: 'demo-key-1', secret: 'demo-webhook-secret-change-me' },
  customerPhone: '090-1111-2222',
};
const POPUP_FIELDS = `popupId callId class caller { raw e164 display }
  customer { id name nameKana } purchases { item amountYen } purchaseTotals { count lifetimeValueYen }
  interactions { summary } notesAllowed`;

interface Stack {
  urls: { gateway: string; gatewayWs: string; telephony: string; licensing: string };
  logs: Map<string, string[]>;
  stop(): Promise<void>;
}

/** The envelopes of one call on a topic of this run, read from the start. */
async function envelopesOf(topic: string, callId: string): Promise<Array<{ traceparent?: string }>> {
  const kafka = new Kafka({ clientId: 'e2e-reader', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(`${topicPrefix}${topic}`);
  await admin.disconnect();
  const remaining = new Set(offsets.filter((o) => o.high !== o.low).map((o) => o.partition));
  const found: Array<{ traceparent?: string }> = [];
  const reader = kafka.consumer({ groupId: `${groupPrefix}.e2e-reader-${randomUUID()}` });
  await reader.connect();
  await reader.subscribe({ topic: `${topicPrefix}${topic}`, fromBeginning: true });
  await new Promise<void>((resolve) => {
    if (remaining.size === 0) resolve();
    void reader.run({
      eachMessage: async ({ partition, message }) => {
        try {
          const envelope = JSON.parse(message.value?.toString() ?? '{}');
          if (envelope.payload?.callId === callId) found.push(envelope);
        } catch {
          // the poison test's message: not ours
        }
        const high = offsets.find((o) => o.partition === partition)?.high;
        if (high !== undefined && BigInt(message.offset) + 1n >= BigInt(high)) {
          remaining.delete(partition);
          if (remaining.size === 0) resolve();
        }
      },
    });
  });
  await reader.disconnect();
  return found;
}

const groupPrefix = `e2e-${Date.now()}`;
const topicPrefix = `${groupPrefix}.`;
let stack: Stack;
let mailbox: Mailbox;
let operatorA: string;
let watcherA: PopupWatcher;
let tenantB: { token: string; keyId: string; secret: string };
let watcherB: PopupWatcher;

/**
 * Tenant B, made the way a new customer of ours is: back office creates it, its admin receives the
 * invitation by mail (the API never hands the token to back office), accepts it and makes a webhook key.
 */
async function provisionTenantB(): Promise<{ token: string; keyId: string; secret: string }> {
  const backOffice = await login(stack.urls.gateway, 'backoffice@thankstar.jp', 'demo-backoffice-2026');
  const adminEmail = `admin-${randomUUID().slice(0, 8)}@tenant-b.example`;
  const before = mailbox.mails.length;
  const created = await gql<{ createTenant: { tenant: { id: string }; adminInvitation: { email: string } } }>(
    stack.urls.gateway,
    'mutation($email: String!) { createTenant(name: "テナントB", adminEmail: $email, adminName: "B 管理者") { tenant { id } adminInvitation { email } } }',
    { email: adminEmail },
    backOffice,
  );
  if (!created.data) throw new Error(JSON.stringify(created.errors));
  const mail = await mailbox.waitFor(adminEmail, before);
  // The link points at the web app licensing was told about; the token travels only inside it.
  expect(mailbox.linkIn(mail, 'accept-invitation').startsWith(`${PUBLIC_APP_URL}/#/accept-invitation?token=`)).toBe(
    true,
  );
  const accepted = await gql<{ acceptInvitation: { accessToken: string } }>(
    stack.urls.gateway,
    'mutation($token: String!) { acceptInvitation(token: $token, password: "tenant-b-password-2026") { accessToken } }',
    { token: mailbox.tokenIn(mail, 'accept-invitation') },
  );
  if (!accepted.data) throw new Error(JSON.stringify(accepted.errors));
  const token = accepted.data.acceptInvitation.accessToken;
  const key = await gql<{ createWebhookKey: { key: { keyId: string }; secret: string } }>(
    stack.urls.gateway,
    'mutation { createWebhookKey(label: "e2e") { key { keyId } secret } }',
    {},
    token,
  );
  if (!key.data) throw new Error(JSON.stringify(key.errors));
  return { token, keyId: key.data.createWebhookKey.key.keyId, secret: key.data.createWebhookKey.secret };
}

/** Where the mailed links point (nothing serves it here: the test reads the token from the link). */
const PUBLIC_APP_URL = 'http://127.0.0.1:5173';

beforeAll(async () => {
  await prepareDatabases('_e2e');
  // Licensing mails invitations over SMTP to this local server, as it would to a real relay.
  mailbox = await startMailbox();
  // Logs on (the integration project silences them): the trace test reads the gateway's.
  stack = (await startStack({
    portBase: 5000,
    dbSuffix: '_e2e',
    groupPrefix,
    env: { LOG_LEVEL: 'info', SMTP_URL: mailbox.url, PUBLIC_APP_URL },
  })) as Stack;
  operatorA = await login(stack.urls.gateway, demo.operator.email, demo.operator.password);
  watcherA = await watchPopups(stack.urls.gatewayWs, operatorA, POPUP_FIELDS);
  tenantB = await provisionTenantB();
  watcherB = await watchPopups(stack.urls.gatewayWs, tenantB.token, POPUP_FIELDS);
}, 300_000);

afterAll(async () => {
  await watcherA?.close();
  await watcherB?.close();
  await stack?.stop();
  await mailbox?.close();
});

describe('ring to popup', () => {
  it('pops the known customer with their history for the operators of that tenant', async () => {
    const rung = await ring(stack.urls.telephony, { ...demo.webhook, from: demo.customerPhone });
    expect(rung.status).toBe(202);
    expect(rung.body).toEqual({ callId: rung.callId });
    const popup = await watcherA.waitFor(rung.callId);
    expect(popup.class).toBe('CUSTOMER');
    expect(popup.customer).toMatchObject({ name: '山田 太郎', nameKana: 'ヤマダ タロウ' });
    expect(popup.caller).toMatchObject({ e164: '+819011112222', display: '090-1111-2222' });
    expect((popup.purchases as unknown[]).length).toBeGreaterThan(0);
    expect((popup.interactions as unknown[]).length).toBeGreaterThan(0);
    expect(popup.notesAllowed).toBe(true);
  });

  it('pops an unknown number as UNKNOWN', async () => {
    const rung = await ring(stack.urls.telephony, { ...demo.webhook, from: '06-6123-4567' });
    expect(rung.status).toBe(202);
    const popup = await watcherA.waitFor(rung.callId);
    expect(popup).toMatchObject({ class: 'UNKNOWN', customer: null, caller: { display: '06-6123-4567' } });
  });

  it("never shows tenant B's call to tenant A", async () => {
    const rungB = await ring(stack.urls.telephony, {
      keyId: tenantB.keyId,
      secret: tenantB.secret,
      from: demo.customerPhone,
    });
    expect(rungB.status).toBe(202);
    const popupB = await watcherB.waitFor(rungB.callId);
    // Tenant B has no such customer: the same number is a stranger there.
    expect(popupB.class).toBe('UNKNOWN');
    // A later call of tenant A has arrived at A, so B's would have too if it were going to.
    const rungA = await ring(stack.urls.telephony, { ...demo.webhook });
    await watcherA.waitFor(rungA.callId);
    expect(watcherA.popups.some((p) => p.callId === rungB.callId)).toBe(false);
    expect(watcherB.popups.some((p) => p.callId === rungA.callId)).toBe(false);
  });

  it('gives one popup for the same event posted twice', async () => {
    const callId = randomUUID();
    const body = JSON.stringify({
      callId,
      event: 'ringing',
      from: demo.customerPhone,
      to: '03-1234-5678',
      occurredAt: new Date().toISOString(),
    });
    const first = await ring(stack.urls.telephony, { ...demo.webhook, callId, body });
    const second = await ring(stack.urls.telephony, { ...demo.webhook, callId, body });
    expect([first.status, second.status]).toEqual([202, 202]);
    await watcherA.waitFor(callId);
    const sentinel = await ring(stack.urls.telephony, { ...demo.webhook });
    await watcherA.waitFor(sentinel.callId);
    expect(watcherA.popups.filter((p) => p.callId === callId)).toHaveLength(1);
  });

  it('refuses a forged signature with 401 and pops nothing', async () => {
    const callId = randomUUID();
    const forged = await ring(stack.urls.telephony, { ...demo.webhook, callId, secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    const unknownKey = await ring(stack.urls.telephony, { keyId: 'no-such-key', secret: 'x' });
    expect(unknownKey.status).toBe(401);
    const malformed = await ring(stack.urls.telephony, {
      ...demo.webhook,
      body: JSON.stringify({ callId: 'x', event: 'boiling' }),
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    const sentinel = await ring(stack.urls.telephony, { ...demo.webhook });
    await watcherA.waitFor(sentinel.callId);
    expect(watcherA.popups.some((p) => p.callId === callId)).toBe(false);
  });

  it('sends a poison message on the call topic to the dead-letter topic and keeps popping', async () => {
    const kafka = new Kafka({ clientId: 'e2e-poison', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    const dlq = kafka.consumer({ groupId: `${groupPrefix}.e2e-dlq-reader` });
    const poisonKey = `poison-${randomUUID()}`;
    try {
      await producer.connect();
      await dlq.connect();
      await subscribeWhenTopicsExist(dlq, [`${topicPrefix}telephony.call-events.v1.dlq`], true);
      const deadLettered = new Promise<Record<string, string>>((resolve) => {
        void dlq.run({
          eachMessage: async ({ message }) => {
            if (message.key?.toString() !== poisonKey) return;
            resolve(Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])));
          },
        });
      });
      await producer.send({
        topic: `${topicPrefix}telephony.call-events.v1`,
        messages: [{ key: poisonKey, value: '{"not": "an envelope"' }],
      });
      const headers = await deadLettered;
      expect(headers['x-dlq-reason']).toMatch(/^INVALID_JSON/);
      const next = await ring(stack.urls.telephony, { ...demo.webhook });
      expect((await watcherA.waitFor(next.callId)).class).toBe('CUSTOMER');
    } finally {
      await producer.disconnect();
      await dlq.disconnect();
    }
  });

  it("carries one trace id from the webhook through telephony, customers and the gateway's push", async () => {
    const traceId = randomUUID().replaceAll('-', '');
    const rung = await ring(stack.urls.telephony, {
      ...demo.webhook,
      headers: { traceparent: `00-${traceId}-${randomUUID().replaceAll('-', '').slice(0, 16)}-01` },
    });
    expect(rung.status).toBe(202);
    await watcherA.waitFor(rung.callId);
    const traceIdOf = (e: { traceparent?: string }) => e.traceparent?.split('-')[1];
    const [callEvent] = await envelopesOf('telephony.call-events.v1', rung.callId);
    expect(traceIdOf(callEvent ?? {})).toBe(traceId);
    const [popup] = await envelopesOf('customers.popups.v1', rung.callId);
    expect(traceIdOf(popup ?? {})).toBe(traceId);
    const pushed = (stack.logs.get('gateway') ?? [])
      .map((line) => {
        try {
          return JSON.parse(line) as { traceId?: string; callId?: string; msg?: string };
        } catch {
          return {};
        }
      })
      .find((l) => l.callId === rung.callId && l.msg?.includes('customers.popups.v1 pushed'));
    expect(pushed?.traceId).toBe(traceId);
  });

  it('refuses a graphql-ws connection without a valid token', async () => {
    const none = await tryConnect(stack.urls.gatewayWs, {});
    expect(none).not.toBe('connected');
    const bad = await tryConnect(stack.urls.gatewayWs, { authorization: 'Bearer not.a.token' });
    expect(bad).not.toBe('connected');
    expect((bad as { code: number }).code).toBe(4401);
  });
});

describe('the federated API', () => {
  it('answers one query that touches all four subgraphs', async () => {
    const admin = await login(stack.urls.gateway, demo.admin.email, demo.admin.password);
    const res = await gql<{
      me: {
        name: string;
        tenant: {
          name: string;
          lines: Array<{ label: string }>;
          customerCount: number;
          contract: { id: string } | null;
        };
      };
    }>(stack.urls.gateway, '{ me { name tenant { name lines { label } customerCount contract { id } } } }', {}, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data?.me.name).toBe('鈴木 一郎'); // licensing
    expect(res.data?.me.tenant.lines.map((l) => l.label)).toContain('東京店'); // telephony
    expect(res.data?.me.tenant.customerCount).toBeGreaterThan(0); // customers
    expect(res.data?.me.tenant.contract?.id).toEqual(expect.any(String)); // billing
  });
});
