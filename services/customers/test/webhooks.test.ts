import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INVOICES_TOPIC, NOTICES_TOPIC, noticeSchema } from '@thankstar/contracts';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvent, errorCode, eventually, type Harness, ok, produceCall, startHarness } from './support';

/**
 * Outbound webhooks against a real HTTP server started here, through the real broker and database:
 * signatures verify with the `standardwebhooks` package, retries back off on 500 and on a timeout,
 * one call's events arrive in order, repeated failure disables the endpoint, internal destinations
 * are refused, and another tenant sees and changes nothing.
 */

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** A receiver whose answer per path is chosen by the test (status, or a hang past the timeout). */
function receiver() {
  const received: Received[] = [];
  const behaviour = new Map<string, (n: number) => number | 'hang'>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const n = received.filter((r) => r.path === path).length;
      const answer = behaviour.get(path)?.(n) ?? 200;
      if (answer === 'hang') return; // never answers: the sender's timeout cuts it
      res.writeHead(answer, { 'content-type': 'text/plain' });
      res.end(answer === 200 ? 'ok' : `error ${'x'.repeat(3000)}`);
    });
  });
  return { server, received, behaviour, on: (path: string) => received.filter((r) => r.path === path) };
}

let h: Harness;
const rx = receiver();
let base = '';
const tenantA = randomUUID();
const tenantB = randomUUID();
let adminA = '';
let adminB = '';
let operatorA = '';

const endpointFields = 'id url description eventTypes enabled disabledReason failedInARow';

async function createEndpoint(token: string, path: string, eventTypes: string[]) {
  const d = await ok<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
    h,
    token,
    `mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { ${endpointFields} } } }`,
    { input: { url: `${base}${path}`, description: path, eventTypes } },
  );
  return { id: d.createWebhookEndpoint.endpoint.id, secret: d.createWebhookEndpoint.secret };
}

function verified(secret: string, r: Received) {
  return new Webhook(secret).verify(r.body, {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  }) as { type: string; data: Record<string, unknown> };
}

beforeAll(async () => {
  await new Promise<void>((resolve) => rx.server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(rx.server.address() as AddressInfo).port}`;
  process.env.WEBHOOK_ALLOWED_CIDRS = '127.0.0.1/32';
  process.env.WEBHOOK_RETRY_BASE_MS = '200';
  process.env.WEBHOOK_RETRY_MAX_MS = '400';
  process.env.WEBHOOK_RETRY_FOR_MS = '1500';
  process.env.WEBHOOK_DISABLE_AFTER = '2';
  process.env.WEBHOOK_TIMEOUT_MS = '500';
  process.env.WEBHOOK_POLL_MS = '100';
  h = await startHarness();
  adminA = await h.sign({ sub: randomUUID(), tenantId: tenantA, roles: ['tenant-admin'], name: '管理者A' });
  adminB = await h.sign({ sub: randomUUID(), tenantId: tenantB, roles: ['tenant-admin'], name: '管理者B' });
  operatorA = await h.sign({ sub: randomUUID(), tenantId: tenantA, roles: ['operator'], name: 'オペA' });
}, 180_000);

afterAll(async () => {
  await h?.close();
  rx.server.close();
});

describe('outbound webhooks', () => {
  it('signs per Standard Webhooks, shows the secret once, and sends one call in order', async () => {
    const { id, secret } = await createEndpoint(adminA, '/calls', ['call.ringing', 'call.answered', 'call.ended']);
    expect(secret).toMatch(/^whsec_/);
    const listed = await ok<{ webhookEndpoints: Record<string, unknown>[] }>(
      h,
      adminA,
      `{ webhookEndpoints { ${endpointFields} } }`,
    );
    expect(listed.webhookEndpoints.map((e) => e.id)).toEqual([id]);
    expect(JSON.stringify(listed)).not.toContain(secret);

    // The first event of the call is answered 500 twice: the later ones wait behind it.
    rx.behaviour.set('/calls', (n) => (n <= 2 ? 500 : 200));
    const callId = `call-${randomUUID()}`;
    for (const event of ['ringing', 'answered', 'ended'] as const)
      await produceCall(h, callEvent(tenantA, { callId, from: '09011112222', event }));
    const got = await eventually('three deliveries', () => {
      const ok200 = rx.on('/calls').filter((r) => JSON.parse(r.body).data?.callId === callId);
      return ok200.length >= 5 ? ok200 : undefined;
    });
    const types = got.map((r) => verified(secret, r).type);
    expect(types).toEqual(['call.ringing', 'call.ringing', 'call.ringing', 'call.answered', 'call.ended']);
    // Backoff: the second try ≥ 200 ms after the first, the third ≥ 400 ms after the second.
    expect((got[1]?.at ?? 0) - (got[0]?.at ?? 0)).toBeGreaterThanOrEqual(150);
    expect((got[2]?.at ?? 0) - (got[1]?.at ?? 0)).toBeGreaterThanOrEqual(350);
    // The same webhook-id on every try of one event.
    expect(new Set(got.slice(0, 3).map((r) => r.headers['webhook-id'])).size).toBe(1);
    // A tampered body does not verify.
    expect(() => verified(secret, { ...(got[0] as Received), body: `${got[0]?.body} ` })).toThrow();

    const log = await eventually('the delivery log', async () => {
      const d = await ok<{
        webhookDeliveries: {
          eventType: string;
          status: string;
          attempts: number;
          responseStatus: number;
          responseExcerpt: string;
          latencyMs: number;
          attemptLog: { responseStatus: number; responseExcerpt: string }[];
        }[];
      }>(
        h,
        adminA,
        `query($e: ID) { webhookDeliveries(endpointId: $e) { eventType status attempts responseStatus responseExcerpt latencyMs
           attemptLog { responseStatus responseExcerpt } } }`,
        { e: id },
      );
      return d.webhookDeliveries.every((x) => x.status === 'DELIVERED') && d.webhookDeliveries.length === 3
        ? d.webhookDeliveries
        : undefined;
    });
    const ringing = log.find((d) => d.eventType === 'call.ringing');
    expect(ringing?.attempts).toBe(3);
    expect(ringing?.attemptLog.map((a) => a.responseStatus)).toEqual([500, 500, 200]);
    // The answer's excerpt is at most 1 KB.
    expect(ringing?.attemptLog[0]?.responseExcerpt.length).toBeLessThanOrEqual(1024);
    expect(ringing?.attemptLog[0]?.responseExcerpt.startsWith('error x')).toBe(true);
  });

  it('sends customer.created, a test event and a replay; a timeout is retried', async () => {
    const { id, secret } = await createEndpoint(adminA, '/crm', ['customer.created']);
    let hangs = 1;
    rx.behaviour.set('/crm', () => (hangs-- > 0 ? 'hang' : 200));
    const created = await ok<{ createCustomer: { id: string } }>(
      h,
      adminA,
      'mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
      { input: { name: 'ウェブフック 太郎' } },
    );
    const delivered = await eventually('customer.created after a timeout', () => {
      const all = rx.on('/crm').map((r) => verified(secret, r));
      return all.length >= 2 ? all : undefined;
    });
    expect(delivered[1]?.type).toBe('customer.created');
    expect(delivered[1]?.data.customerId).toBe(created.createCustomer.id);

    const test = await ok<{ sendTestWebhook: { id: string; eventType: string } }>(
      h,
      adminA,
      'mutation($e: ID!) { sendTestWebhook(endpointId: $e) { id eventType } }',
      { e: id },
    );
    expect(test.sendTestWebhook.eventType).toBe('webhook.test');
    await eventually('the test event', () =>
      rx.on('/crm').some((r) => verified(secret, r).type === 'webhook.test') ? true : undefined,
    );
    const before = rx.on('/crm').length;
    const replay = await ok<{ replayWebhookDelivery: { replayOf: string } }>(
      h,
      adminA,
      'mutation($d: ID!) { replayWebhookDelivery(id: $d) { replayOf } }',
      { d: test.sendTestWebhook.id },
    );
    expect(replay.replayWebhookDelivery.replayOf).toBe(test.sendTestWebhook.id);
    await eventually('the replay', () => (rx.on('/crm').length > before ? true : undefined));
    const last = rx.on('/crm').at(-1) as Received;
    expect(verified(secret, last).type).toBe('webhook.test');
  });

  it('sends popup.shown, interaction.noted/completed and invoice.issued from their topics', async () => {
    const { secret } = await createEndpoint(adminA, '/life', [
      'popup.shown',
      'interaction.noted',
      'interaction.completed',
      'invoice.issued',
    ]);
    rx.behaviour.set('/life', () => 200);
    const callId = `life-${randomUUID()}`;
    await produceCall(h, callEvent(tenantA, { callId, from: '09011115555' }));
    const shown = await eventually('popup.shown', () =>
      rx
        .on('/life')
        .map((r) => verified(secret, r))
        .find((e) => e.type === 'popup.shown' && e.data.callId === callId),
    );
    const interactionId = shown.data.interactionId as string;
    expect(interactionId).toBeTruthy();
    await ok(
      h,
      operatorA,
      'mutation($id: ID!, $i: InteractionInput!) { updateInteraction(id: $id, input: $i) { id } }',
      {
        id: interactionId,
        i: { notes: '配送日の問い合わせ', outcome: '解決' },
      },
    );
    const invoiceId = randomUUID();
    await h.producer.send({
      topic: INVOICES_TOPIC,
      messages: [
        {
          key: tenantA,
          value: JSON.stringify({
            id: randomUUID(),
            type: 'billing.invoice-issued',
            tenantId: tenantA,
            occurredAt: new Date().toISOString(),
            payload: {
              invoiceId,
              kind: 'invoice',
              number: 'INV-2026-000123',
              month: '2026-11',
              periodStart: '2026-11-01',
              periodEnd: '2026-11-30',
              subtotalYen: 10_000,
              taxYen: 1_000,
              totalYen: 11_000,
              issuedAt: new Date().toISOString(),
            },
          }),
        },
      ],
    });
    const events = await eventually('the interaction and the invoice', () => {
      const all = rx.on('/life').map((r) => verified(secret, r));
      return all.some((e) => e.type === 'interaction.completed') && all.some((e) => e.type === 'invoice.issued')
        ? all
        : undefined;
    });
    // One call's events in order: the popup, then what was written on its interaction.
    expect(events.filter((e) => e.data.callId === callId).map((e) => e.type)).toEqual([
      'popup.shown',
      'interaction.noted',
      'interaction.completed',
    ]);
    expect(events.find((e) => e.type === 'interaction.noted')?.data.notes).toBe('配送日の問い合わせ');
    expect(events.find((e) => e.type === 'invoice.issued')?.data).toMatchObject({ invoiceId, totalYen: 11_000 });
  });

  it('gives up after the retry window and disables the endpoint after repeated failure', async () => {
    const { id } = await createEndpoint(adminA, '/down', ['call.missed']);
    rx.behaviour.set('/down', () => 503);
    for (let i = 0; i < 2; i++)
      await produceCall(
        h,
        callEvent(tenantA, { callId: `down-${randomUUID()}`, from: '09011113333', event: 'missed' }),
      );
    const endpoint = await eventually(
      'the endpoint disabled',
      async () => {
        const d = await ok<{ webhookEndpoints: { id: string; enabled: boolean; disabledReason: string | null }[] }>(
          h,
          adminA,
          `{ webhookEndpoints { ${endpointFields} } }`,
        );
        const e = d.webhookEndpoints.find((x) => x.id === id);
        return e && !e.enabled ? e : undefined;
      },
      60_000,
    );
    expect(endpoint.disabledReason).toBe('FAILING');
    const failed = await ok<{ webhookDeliveries: { status: string }[] }>(
      h,
      adminA,
      'query($e: ID) { webhookDeliveries(endpointId: $e, status: "FAILED") { status } }',
      { e: id },
    );
    expect(failed.webhookDeliveries.length).toBe(2);
    // The tenant's admins are told: one notice through the outbox, the host only (licensing mails it).
    const notice = await eventually(
      'the disable notice',
      async () =>
        (h.seen.get(NOTICES_TOPIC) ?? [])
          .map((m) => noticeSchema.parse(JSON.parse(m.value)))
          .find((e) => e.payload.endpointId === id),
      30_000,
    );
    expect(notice.tenantId).toBe(tenantA);
    expect(notice.payload).toMatchObject({
      kind: 'WEBHOOK_ENDPOINT_DISABLED',
      endpointHost: new URL(base).host,
      failures: 2,
      lastError: 'HTTP 503',
    });
    expect(
      (h.seen.get(NOTICES_TOPIC) ?? []).filter(
        (m) => noticeSchema.parse(JSON.parse(m.value)).payload.endpointId === id,
      ),
    ).toHaveLength(1);
    // Enabling it again is the admin's choice.
    const again = await ok<{ updateWebhookEndpoint: { enabled: boolean; disabledReason: string | null } }>(
      h,
      adminA,
      'mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { enabled: true }) { enabled disabledReason } }',
      { id },
    );
    expect(again.updateWebhookEndpoint).toEqual({ enabled: true, disabledReason: null });
  });

  it('refuses loopback, private and link-local destinations that the configuration does not allow', async () => {
    for (const url of [
      'http://127.0.0.2/x',
      'http://10.0.0.5/x',
      'http://169.254.169.254/latest',
      'http://[::1]/x',
      'http://192.168.1.1/x',
      'http://[::ffff:127.0.0.2]/x',
    ]) {
      expect(
        await errorCode(
          h,
          adminA,
          'mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
          { input: { url, eventTypes: ['call.ringing'] } },
        ),
        url,
      ).toBe('WEBHOOK_DESTINATION_REFUSED');
    }
    expect(
      await errorCode(
        h,
        adminA,
        'mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
        {
          input: { url: 'ftp://example.com/', eventTypes: ['call.ringing'] },
        },
      ),
    ).toBe('WEBHOOK_URL_INVALID');
    expect(
      await errorCode(
        h,
        adminA,
        'mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
        {
          input: { url: `${base}/x`, eventTypes: ['call.exploded'] },
        },
      ),
    ).toBe('WEBHOOK_EVENT_TYPES_INVALID');
  });

  it('keeps tenants apart: another tenant neither sees nor changes an endpoint or its deliveries, and operators are refused', async () => {
    const { id } = await createEndpoint(adminA, '/isolated', ['call.ringing']);
    const deliveries = await ok<{ webhookDeliveries: { id: string }[] }>(h, adminA, '{ webhookDeliveries { id } }');
    const someDelivery = deliveries.webhookDeliveries[0]?.id as string;
    const other = await ok<{ webhookEndpoints: unknown[]; webhookDeliveries: unknown[] }>(
      h,
      adminB,
      '{ webhookEndpoints { id } webhookDeliveries { id } }',
    );
    expect(other).toEqual({ webhookEndpoints: [], webhookDeliveries: [] });
    for (const [query, variables] of [
      ['mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { enabled: false }) { id } }', { id }],
      ['mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id }],
      ['mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }', { id }],
      ['mutation($id: ID!) { replayWebhookDelivery(id: $id) { id } }', { id: someDelivery }],
    ] as const) {
      expect(await errorCode(h, adminB, query, variables), query).toBe('NOT_FOUND');
    }
    expect(await errorCode(h, operatorA, '{ webhookEndpoints { id } }')).toBe('FORBIDDEN');
    // A call of tenant B reaches none of tenant A's endpoints.
    const callId = `b-${randomUUID()}`;
    await produceCall(h, callEvent(tenantB, { callId, from: '09011114444' }));
    const still = await ok<{ webhookEndpoints: { id: string; enabled: boolean }[] }>(
      h,
      adminA,
      '{ webhookEndpoints { id enabled } }',
    );
    expect(still.webhookEndpoints.find((e) => e.id === id)?.enabled).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    expect(rx.received.some((r) => r.body.includes(callId))).toBe(false);
  });
});
