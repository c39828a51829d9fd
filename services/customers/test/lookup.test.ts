import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTRACTS_TOPIC } from '@thankstar/contracts';
import { kafkaBrokersFromEnv } from '@thankstar/platform';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvent, errorCode, eventually, type Harness, ok, popupsFor, produceCall, startHarness } from './support';

/**
 * Lookup sources against local HTTP servers started here, each implementing the documented
 * endpoints and error shapes of its API (kintone REST API, FileMaker Data API, our signed HTTPS
 * source): wrong credentials, not found, 429 with Retry-After, a slow answer. The tenant's plan
 * comes from a real billing.contracts.v1 event. Nothing here is timed: "late" means the popup went
 * out without the card and an update with it followed.
 */
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void | Promise<void>;
interface Local {
  url: string;
  seen: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[];
  handler: Handler;
  server: Server;
}
async function local(handler: Handler): Promise<Local> {
  const l = { seen: [], handler } as unknown as Local;
  l.server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    l.seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    await l.handler(req, body, res);
  });
  await new Promise<void>((resolve) => l.server.listen(0, resolve));
  l.url = `http://localhost:${(l.server.address() as AddressInfo).port}`;
  return l;
}
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const CREATE = `mutation ($input: LookupSourceInput!) { createLookupSource(input: $input) { signingSecret source { id name kind budgetMs } } }`;
const SOURCES = `{ lookupSources { id name enabled circuitOpen lastOkAt lastError { code message detail } } }`;
const TRY = `mutation ($id: ID!, $number: String!) { tryLookupSource(id: $id, number: $number) { elapsedMs withinBudget cards { sourceName recordId title fields { label value } links { label url } } error { code message detail } } }`;
const POPUP = `query ($callId: ID!) { popup(callId: $callId) { callId cards { sourceName title fields { label value } } } }`;

describe('lookup sources and connectors (real Postgres and Kafka, local source servers)', { timeout: 240_000 }, () => {
  let h: Harness;
  let ds: DataSource;
  const tenant = randomUUID();
  const cloudTenant = randomUUID();
  let admin: string;
  let adminOther: string;
  let adminCloud: string;
  const servers: Local[] = [];

  async function contract(tenantId: string, planCode: string, version: number) {
    await h.producer.send({
      topic: CONTRACTS_TOPIC,
      messages: [
        {
          key: tenantId,
          value: JSON.stringify({
            id: randomUUID(),
            type: 'billing.contract-changed',
            tenantId,
            occurredAt: new Date().toISOString(),
            payload: {
              contractId: randomUUID(),
              version,
              status: 'active',
              connectionPacks: 0,
              planCode,
              at: new Date().toISOString(),
            },
          }),
        },
      ],
    });
    await eventually(`plan of ${tenantId}`, async () => {
      const rows: { plan_code: string }[] = await ds.query('SELECT plan_code FROM tenant_plans WHERE tenant_id = $1', [
        tenantId,
      ]);
      return rows[0]?.plan_code === planCode ? true : undefined;
    });
  }

  beforeAll(async () => {
    process.env.LOOKUP_ALLOWED_CIDRS = '127.0.0.1/32,::1';
    process.env.LOOKUP_BREAKER_FAILURES = '3';
    process.env.LOOKUP_BREAKER_OPEN_MS = '60000';
    process.env.LOOKUP_CACHE_TTL_MS = '0';
    const kafka = new Kafka({ clientId: 'lookup-test', brokers: kafkaBrokersFromEnv(), logLevel: logLevel.NOTHING });
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    if (!(await kafkaAdmin.listTopics()).includes(CONTRACTS_TOPIC))
      await kafkaAdmin.createTopics({ waitForLeaders: true, topics: [{ topic: CONTRACTS_TOPIC, numPartitions: 6 }] });
    await kafkaAdmin.disconnect();
    h = await startHarness();
    ds = h.app.get(DataSource);
    admin = await h.sign({ tenantId: tenant, roles: ['tenant-admin', 'operator'] });
    adminOther = await h.sign({ tenantId: randomUUID(), roles: ['tenant-admin', 'operator'] });
    adminCloud = await h.sign({ tenantId: cloudTenant, roles: ['tenant-admin', 'operator'] });
    await contract(tenant, 'INTEGRATION', 1);
    await contract(cloudTenant, 'CLOUD', 1);
  });

  afterAll(async () => {
    await h?.close();
    for (const s of servers) s.server.close();
    delete process.env.LOOKUP_ALLOWED_CIDRS;
    delete process.env.LOOKUP_BREAKER_FAILURES;
    delete process.env.LOOKUP_BREAKER_OPEN_MS;
    delete process.env.LOOKUP_CACHE_TTL_MS;
  });

  it('only the Integration plan (from billing) may configure a source', async () => {
    const input = {
      name: 'x',
      kind: 'HTTPS',
      endpoint: 'https://example.com/lookup',
      phoneFields: [],
      displayFields: [],
    };
    expect(await errorCode(h, adminCloud, CREATE, { input })).toBe('LOOKUP_PLAN_REQUIRED');
    const operator = await h.sign({ tenantId: tenant });
    expect(await errorCode(h, operator, CREATE, { input })).toBe('FORBIDDEN');
  });

  it('a signed HTTPS source: cards in budget; a slow one pops late as an update; SSRF refused', async () => {
    let secret = '';
    const fast = await local((req, body, res) => {
      const id = req.headers['webhook-id'] as string;
      const ts = req.headers['webhook-timestamp'] as string;
      const expected = createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
        .update(`${id}.${ts}.${body}`)
        .digest('base64');
      if (req.headers['webhook-signature'] !== `v1,${expected}`) return json(res, 401, { error: 'bad signature' });
      const q = JSON.parse(body) as { type: string; number: string };
      if (q.type !== 'lookup') return json(res, 204, {});
      if (q.number !== '+81312345678') return json(res, 404, { error: 'not found' });
      json(res, 200, {
        cards: [
          {
            id: 'C-1',
            title: '株式会社テスト',
            fields: [{ label: '担当', value: '鈴木' }],
            links: [
              { label: '開く', url: 'https://crm.example/1' },
              { label: 'x', url: 'javascript:alert(1)' },
            ],
          },
        ],
      });
    });
    servers.push(fast);
    const created = await ok<{ createLookupSource: { signingSecret: string; source: { id: string } } }>(
      h,
      admin,
      CREATE,
      {
        input: {
          name: '自社CRM',
          kind: 'HTTPS',
          endpoint: `${fast.url}/lookup`,
          phoneFields: [],
          displayFields: [],
          budgetMs: 1000,
        },
      },
    );
    secret = created.createLookupSource.signingSecret;
    expect(secret).toMatch(/^whsec_/);
    const tried = await ok<{ tryLookupSource: { cards: { title: string; links: unknown[] }[]; error: unknown } }>(
      h,
      admin,
      TRY,
      {
        id: created.createLookupSource.source.id,
        number: '03-1234-5678',
      },
    );
    expect(tried.tryLookupSource.error).toBeNull();
    expect(tried.tryLookupSource.cards[0]?.title).toBe('株式会社テスト');
    expect(tried.tryLookupSource.cards[0]?.links).toEqual([{ label: '開く', url: 'https://crm.example/1' }]);

    // A second source answers after its 100 ms budget.
    const slow = await local(async (_req, body, res) => {
      if ((JSON.parse(body) as { type: string }).type !== 'lookup') return json(res, 204, {});
      await sleep(1500);
      json(res, 200, { cards: [{ id: 'S-9', title: '遅い台帳', fields: [] }] });
    });
    servers.push(slow);
    await ok(h, admin, CREATE, {
      input: {
        name: '遅い台帳',
        kind: 'HTTPS',
        endpoint: `${slow.url}/lookup`,
        phoneFields: [],
        displayFields: [],
        budgetMs: 100,
      },
    });

    const callId = `call-${randomUUID()}`;
    await produceCall(h, callEvent(tenant, { callId, from: '+81312345678' }));
    const both = await eventually('the popup and its late update', () => {
      const sent = popupsFor(h, tenant, callId);
      return sent.length >= 2 ? sent : undefined;
    });
    const titles = (p: { payload: Record<string, unknown> }) =>
      ((p.payload.cards ?? []) as { title: string }[]).map((c) => c.title);
    // The slow source's card is not in the popup that went out at the budget; the update has every card.
    expect(titles(both[0] as never)).not.toContain('遅い台帳');
    const last = await eventually('the update with every card', () => {
      const sent = popupsFor(h, tenant, callId);
      const final = sent[sent.length - 1] as never;
      return titles(final).length === 2 ? final : undefined;
    });
    expect(titles(last).sort()).toEqual(['株式会社テスト', '遅い台帳'].sort());
    expect((last as { payload: { popupId: string } }).payload.popupId).toBe(both[0]?.payload.popupId);
    // Read again, the popup has every card.
    const read = await ok<{ popup: { cards: { title: string }[] } }>(h, admin, POPUP, { callId });
    expect(read.popup.cards.map((c) => c.title).sort()).toEqual(['株式会社テスト', '遅い台帳'].sort());

    // A tenant on the Cloud plan pops without asking anything.
    const cloudCall = `call-${randomUUID()}`;
    const before = fast.seen.length;
    await produceCall(h, callEvent(cloudTenant, { callId: cloudCall, from: '+81312345678' }));
    const cloudPopup = await eventually('cloud popup', () => popupsFor(h, cloudTenant, cloudCall)[0]);
    expect(cloudPopup.payload.cards).toBeUndefined();
    expect(fast.seen.length).toBe(before);

    // SSRF: a private address is refused (the allowed test ranges are loopback only).
    const ssrf = await ok<{ createLookupSource: { source: { id: string } } }>(h, admin, CREATE, {
      input: {
        name: 'metadata',
        kind: 'HTTPS',
        endpoint: 'http://169.254.169.254/latest',
        phoneFields: [],
        displayFields: [],
      },
    });
    const refused = await ok<{ tryLookupSource: { error: { code: string; message: string } } }>(h, admin, TRY, {
      id: ssrf.createLookupSource.source.id,
      number: '03-1234-5678',
    });
    expect(refused.tryLookupSource.error.code).toBe('LOOKUP_ADDRESS_REFUSED');
    expect(refused.tryLookupSource.error.message).toMatch(/接続できません/);
    await ok(h, admin, `mutation ($id: ID!) { deleteLookupSource(id: $id) }`, {
      id: ssrf.createLookupSource.source.id,
    });
  });

  it('kintone: records by number fields, a comment written back on completion; wrong token and 429 shown to the admin', async () => {
    const kintone = await local((req, body, res) => {
      if (req.headers['x-cybozu-api-token'] !== 'good-token')
        return json(res, 401, { code: 'GAIA_IA02', id: 'x', message: '指定したAPIトークンが無効です。' });
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/k/v1/records.json') {
        const params = req.method === 'GET' ? Object.fromEntries(url.searchParams) : JSON.parse(body || '{}');
        const query = String(params.query ?? '');
        if (String(params.app) !== '7')
          return json(res, 404, { code: 'GAIA_AP01', id: 'x', message: '指定したアプリ（id: 7）が見つかりません。' });
        if (query.includes('"0399999999"'))
          return json(
            res,
            429,
            { code: 'GAIA_TM12', id: 'x', message: '同時リクエスト数の上限' },
            { 'retry-after': '1' },
          );
        const hit = query.includes('"03-1234-5678"');
        return json(res, 200, {
          records: hit
            ? [
                {
                  $id: { type: '__ID__', value: '42' },
                  会社名: { type: 'SINGLE_LINE_TEXT', value: '山田商店' },
                  ランク: { type: 'DROP_DOWN', value: 'A' },
                },
              ]
            : [],
          totalCount: null,
        });
      }
      if (url.pathname === '/k/v1/record/comment.json' && req.method === 'POST') return json(res, 200, { id: '1' });
      json(res, 404, { code: 'GAIA_RE01', id: 'x', message: 'not found' });
    });
    servers.push(kintone);
    const input = {
      name: 'kintone 顧客台帳',
      kind: 'KINTONE',
      endpoint: kintone.url,
      appId: '7',
      phoneFields: ['電話番号', '携帯'],
      titleField: '会社名',
      displayFields: [{ field: 'ランク', label: '顧客ランク' }],
      notes: { mode: 'COMMENT' },
      secret: 'good-token',
    };
    const created = await ok<{ createLookupSource: { source: { id: string } } }>(h, admin, CREATE, { input });
    const id = created.createLookupSource.source.id;
    const tried = await ok<{
      tryLookupSource: { cards: { title: string; fields: unknown[]; links: { url: string }[] }[] };
    }>(h, admin, TRY, { id, number: '+81312345678' });
    expect(tried.tryLookupSource.cards[0]?.title).toBe('山田商店');
    expect(tried.tryLookupSource.cards[0]?.fields).toEqual([{ label: '顧客ランク', value: 'A' }]);
    expect(tried.tryLookupSource.cards[0]?.links[0]?.url).toBe(`${kintone.url}/k/7/show#record=42`);
    // The stored token is sealed, never the token itself.
    const stored: { sealed_secret: string }[] = await ds.query(
      'SELECT sealed_secret FROM lookup_sources WHERE id = $1',
      [id],
    );
    expect(stored[0]?.sealed_secret).not.toContain('good-token');

    const rate = await ok<{ tryLookupSource: { error: { code: string } } }>(h, admin, TRY, {
      id,
      number: '03-9999-9999',
    });
    expect(rate.tryLookupSource.error.code).toBe('LOOKUP_RATE_LIMITED');

    // Write-back: the call's popup showed record 42; completing the interaction comments on it.
    const callId = `call-${randomUUID()}`;
    await produceCall(h, callEvent(tenant, { callId, from: '+81312345678' }));
    const popup = await eventually('kintone popup', () =>
      popupsFor(h, tenant, callId).find((p) =>
        ((p.payload.cards ?? []) as { title: string }[]).some((c) => c.title === '山田商店'),
      ),
    );
    await ok(
      h,
      admin,
      `mutation ($id: ID!, $input: InteractionInput!) { updateInteraction(id: $id, input: $input) { id } }`,
      {
        id: popup.payload.interactionId,
        input: { notes: '見積の依頼', outcome: '折り返し' },
      },
    );
    const comment = await eventually('kintone comment', () =>
      kintone.seen.find((s) => s.path.startsWith('/k/v1/record/comment.json')),
    );
    expect(JSON.parse(comment.body)).toMatchObject({ app: '7', record: '42' });
    expect(JSON.parse(comment.body).comment.text).toContain('見積の依頼');

    await ok(
      h,
      admin,
      `mutation ($id: ID!, $input: LookupSourceInput!) { updateLookupSource(id: $id, input: $input) { id } }`,
      {
        id,
        input: { ...input, secret: 'wrong-token' },
      },
    );
    const wrong = await ok<{ tryLookupSource: { error: { code: string; detail: string } } }>(h, admin, TRY, {
      id,
      number: '+81312345678',
    });
    expect(wrong.tryLookupSource.error.code).toBe('LOOKUP_AUTH_FAILED');
    const listed = await ok<{ lookupSources: { id: string; lastError: { code: string; message: string } | null }[] }>(
      h,
      admin,
      SOURCES,
    );
    expect(listed.lookupSources.find((s) => s.id === id)?.lastError?.code).toBe('LOOKUP_AUTH_FAILED');
    await ok(h, admin, `mutation ($id: ID!) { deleteLookupSource(id: $id) }`, { id });
  });

  it('FileMaker Data API: session token reused, re-login after 952, "no records" is empty, 212 is wrong credentials', async () => {
    let valid = new Set<string>();
    let logins = 0;
    const fm = await local((req, body, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const base = '/fmi/data/vLatest/databases/%E9%A1%A7%E5%AE%A2';
      if (path === `${base}/sessions` && req.method === 'POST') {
        const basic = Buffer.from(String(req.headers.authorization).replace('Basic ', ''), 'base64').toString();
        if (basic !== 'api:pass')
          return json(res, 401, {
            messages: [{ code: '212', message: 'Invalid user account and/or password; please try again' }],
            response: {},
          });
        logins += 1;
        const token = randomUUID();
        valid.add(token);
        return json(
          res,
          200,
          { response: { token }, messages: [{ code: '0', message: 'OK' }] },
          { 'x-fm-data-access-token': token },
        );
      }
      const token = String(req.headers.authorization).replace('Bearer ', '');
      if (!valid.has(token))
        return json(res, 401, {
          messages: [{ code: '952', message: 'Invalid FileMaker Data API token (*)' }],
          response: {},
        });
      if (path === `${base}/layouts/${encodeURIComponent('顧客一覧')}/_find`) {
        const q = JSON.parse(body) as { query: Record<string, string>[] };
        if (!q.query.some((r) => Object.values(r).includes('==03-1234-5678')))
          return json(res, 500, { messages: [{ code: '401', message: 'No records match the request' }], response: {} });
        return json(res, 200, {
          response: {
            data: [{ recordId: '7', modId: '1', fieldData: { 氏名: '佐藤 一郎', 住所: '東京都' }, portalData: {} }],
            dataInfo: {},
          },
          messages: [{ code: '0', message: 'OK' }],
        });
      }
      json(res, 500, { messages: [{ code: '105', message: 'Layout is missing' }], response: {} });
    });
    servers.push(fm);
    const input = {
      name: 'FileMaker 顧客',
      kind: 'FILEMAKER',
      endpoint: fm.url,
      database: '顧客',
      layout: '顧客一覧',
      account: 'api',
      phoneFields: ['電話'],
      titleField: '氏名',
      displayFields: [{ field: '住所', label: '住所' }],
      secret: 'pass',
    };
    const id = (await ok<{ createLookupSource: { source: { id: string } } }>(h, admin, CREATE, { input }))
      .createLookupSource.source.id;
    type Try = { tryLookupSource: { cards: { title: string }[]; error: { code: string } | null } };
    expect((await ok<Try>(h, admin, TRY, { id, number: '03-1234-5678' })).tryLookupSource.cards[0]?.title).toBe(
      '佐藤 一郎',
    );
    expect((await ok<Try>(h, admin, TRY, { id, number: '03-1234-5678' })).tryLookupSource.cards).toHaveLength(1);
    expect(logins).toBe(1);
    valid = new Set(); // the server forgot every session (15 minutes unused, or a restart)
    expect((await ok<Try>(h, admin, TRY, { id, number: '03-1234-5678' })).tryLookupSource.cards).toHaveLength(1);
    expect(logins).toBe(2);
    const none = (await ok<Try>(h, admin, TRY, { id, number: '06-1111-2222' })).tryLookupSource;
    expect(none).toMatchObject({ cards: [], error: null });
    await ok(
      h,
      admin,
      `mutation ($id: ID!, $input: LookupSourceInput!) { updateLookupSource(id: $id, input: $input) { id } }`,
      {
        id,
        input: { ...input, secret: 'nope' },
      },
    );
    expect((await ok<Try>(h, admin, TRY, { id, number: '03-1234-5678' })).tryLookupSource.error?.code).toBe(
      'LOOKUP_AUTH_FAILED',
    );
    await ok(h, admin, `mutation ($id: ID!) { deleteLookupSource(id: $id) }`, { id });
  });

  it('a failing source opens its circuit: it is no longer asked, the popup still goes out', async () => {
    const failing = await local((_req, _body, res) => json(res, 503, { error: 'down' }));
    servers.push(failing);
    const id = (
      await ok<{ createLookupSource: { source: { id: string } } }>(h, admin, CREATE, {
        input: {
          name: '落ちている台帳',
          kind: 'HTTPS',
          endpoint: `${failing.url}/lookup`,
          phoneFields: [],
          displayFields: [],
        },
      })
    ).createLookupSource.source.id;
    for (let i = 0; i < 5; i++) {
      const callId = `call-${randomUUID()}`;
      await produceCall(h, callEvent(tenant, { callId, from: '+819055556666' }));
      await eventually('popup despite a failing source', () => popupsFor(h, tenant, callId)[0]);
    }
    expect(failing.seen.length).toBe(3);
    const listed = await ok<{
      lookupSources: { id: string; circuitOpen: boolean; lastError: { code: string } | null }[];
    }>(h, admin, SOURCES);
    expect(listed.lookupSources.find((s) => s.id === id)).toMatchObject({
      circuitOpen: true,
      lastError: { code: 'LOOKUP_SOURCE_FAILED' },
    });
    await ok(h, admin, `mutation ($id: ID!) { deleteLookupSource(id: $id) }`, { id });
  });

  it("another tenant cannot list, change, try or delete a tenant's sources", async () => {
    const mine = await ok<{ lookupSources: { id: string }[] }>(h, admin, SOURCES);
    const id = mine.lookupSources[0]?.id as string;
    expect(id).toBeDefined();
    expect((await ok<{ lookupSources: unknown[] }>(h, adminOther, SOURCES)).lookupSources).toEqual([]);
    expect(await errorCode(h, adminOther, TRY, { id, number: '03-1234-5678' })).toBe('LOOKUP_PLAN_REQUIRED');
    expect(
      await errorCode(
        h,
        adminOther,
        `mutation ($id: ID!, $input: LookupSourceInput!) { updateLookupSource(id: $id, input: $input) { id } }`,
        {
          id,
          input: { name: 'x', kind: 'HTTPS', endpoint: 'https://example.com', phoneFields: [], displayFields: [] },
        },
      ),
    ).toBe('NOT_FOUND');
    expect(
      (
        await ok<{ deleteLookupSource: boolean }>(
          h,
          adminOther,
          `mutation ($id: ID!) { deleteLookupSource(id: $id) }`,
          { id },
        )
      ).deleteLookupSource,
    ).toBe(false);
    expect((await ok<{ lookupSources: { id: string }[] }>(h, admin, SOURCES)).lookupSources.map((s) => s.id)).toContain(
      id,
    );
  });
});
