import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinesService } from '../src/lines/lines.service';
import {
  consumeCallEvents,
  createKey,
  eventually,
  graphql,
  postSigned,
  ringBody,
  startTelephony,
  type TestAuth,
} from './harness';

describe('signed call-event webhook', () => {
  let app: INestApplication;
  let url: string;
  let auth: TestAuth;
  let consumer: Awaited<ReturnType<typeof consumeCallEvents>>;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  let keyA: { keyId: string; secret: string };
  let keyB: { keyId: string; secret: string };

  const eventsOf = (callId: string) => consumer.events.filter((e) => e.payload.callId === callId);
  const rowCount = async (sql: string, params: unknown[]) => {
    const rows: { n: string }[] = await app.get(DataSource).query(sql, params);
    return Number(rows[0]?.n);
  };

  beforeAll(async () => {
    ({ app, url, auth } = await startTelephony());
    keyA = await createKey(app, tenantA);
    keyB = await createKey(app, tenantB);
    await app.get(LinesService).add(tenantA, '03-1234-5678', '東京店');
    consumer = await consumeCallEvents([tenantA, tenantB]);
  });

  afterAll(async () => {
    await consumer?.stop();
    await app?.close();
  });

  it('accepts a signed ring with 202 and publishes a valid call event', async () => {
    const callId = randomUUID();
    const res = await postSigned(url, keyA, ringBody(callId));
    expect(res).toEqual({ status: 202, json: { callId } });
    const [event] = await eventually(() => eventsOf(callId).length > 0 && eventsOf(callId), 'the ring event');
    expect(event).toMatchObject({
      type: 'telephony.call-event',
      tenantId: tenantA,
      payload: {
        callId,
        event: 'ringing',
        source: 'webhook',
        from: { raw: '090-1111-2222', e164: '+819011112222', display: '090-1111-2222', valid: true },
        to: { e164: '+81312345678' },
        lineLabel: '東京店',
      },
    });
    expect(consumer.invalid).toEqual([]);
  });

  it('stores and publishes a repeated event once, and answers 202 both times', async () => {
    const callId = randomUUID();
    const body = ringBody(callId);
    expect((await postSigned(url, keyA, body)).status).toBe(202);
    expect((await postSigned(url, keyA, body)).status).toBe(202);
    // A later event of the same call shares its partition, so once it is here the ring would be too.
    expect((await postSigned(url, keyA, ringBody(callId, { event: 'answered', extension: '201' }))).status).toBe(202);
    await eventually(() => eventsOf(callId).some((e) => e.payload.event === 'answered'), 'the answer event');
    expect(eventsOf(callId).map((e) => e.payload.event)).toEqual(['ringing', 'answered']);
    expect(
      await rowCount(`SELECT count(*) AS n FROM call_events e JOIN calls c ON c.id = e.call_id WHERE c.call_id = $1`, [
        callId,
      ]),
    ).toBe(2);
  });

  it('refuses a forged signature, a stale timestamp and an unknown key with 401, storing and publishing nothing', async () => {
    const callId = randomUUID();
    const forged = await postSigned(url, { keyId: keyA.keyId, secret: 'not-the-secret' }, ringBody(callId));
    expect(forged).toMatchObject({ status: 401, json: { code: 'INVALID_SIGNATURE' } });
    const missing = await postSigned(url, keyA, ringBody(callId), { signature: '' });
    expect(missing).toMatchObject({ status: 401, json: { code: 'INVALID_SIGNATURE' } });
    const stale = await postSigned(url, keyA, ringBody(callId), { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(stale).toMatchObject({ status: 401, json: { code: 'SIGNATURE_EXPIRED' } });
    const unknown = await postSigned(url, { keyId: 'whk_nobody', secret: keyA.secret }, ringBody(callId));
    expect(unknown).toMatchObject({ status: 401, json: { code: 'UNKNOWN_KEY' } });
    // Tenant B's key cannot post as anyone but tenant B.
    const otherKey = await postSigned(url, { keyId: keyB.keyId, secret: keyA.secret }, ringBody(callId));
    expect(otherKey).toMatchObject({ status: 401, json: { code: 'INVALID_SIGNATURE' } });
    expect(await rowCount('SELECT count(*) AS n FROM calls WHERE call_id = $1', [callId])).toBe(0);

    expect((await postSigned(url, keyA, ringBody(callId, { event: 'missed' }))).status).toBe(202);
    await eventually(() => eventsOf(callId).length > 0, 'the barrier event');
    expect(eventsOf(callId).map((e) => e.payload.event)).toEqual(['missed']);
  });

  it('refuses a malformed body or number with 400 JSON and a code, storing nothing', async () => {
    const callId = randomUUID();
    const cases: [unknown, string, string][] = [
      [{ ...ringBody(callId), event: 'exploded' }, 'INVALID_BODY', 'event'],
      [{ ...ringBody(callId), occurredAt: 'now' }, 'INVALID_BODY', 'occurredAt'],
      [{ event: 'ringing' }, 'INVALID_BODY', 'callId'],
      [[1, 2, 3], 'INVALID_BODY', '(body)'],
      [{ ...ringBody(callId), from: '' }, 'INVALID_NUMBER', 'from'],
      [{ ...ringBody(callId), to: 'front desk' }, 'INVALID_NUMBER', 'to'],
    ];
    for (const [body, code, path] of cases) {
      const res = await postSigned(url, keyA, body);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code, message: expect.any(String) });
      expect((res.json.details as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(path);
    }
    const notJson = await postSigned(url, keyA, null, { rawBody: '{"callId": ' });
    expect(notJson.status).toBe(400);
    expect(notJson.json.code).toEqual(expect.any(String));
    expect(await rowCount('SELECT count(*) AS n FROM calls WHERE call_id = $1', [callId])).toBe(0);
  });

  it('keeps a withheld or unusable caller number raw, flagged', async () => {
    const withheld = randomUUID();
    const odd = randomUUID();
    expect((await postSigned(url, keyA, ringBody(withheld, { from: 'P' }))).status).toBe(202);
    expect((await postSigned(url, keyA, ringBody(odd, { from: '12345' }))).status).toBe(202);
    await eventually(() => eventsOf(withheld).length > 0 && eventsOf(odd).length > 0, 'both rings');
    expect(eventsOf(withheld)[0]?.payload.from).toEqual({
      raw: 'P',
      e164: null,
      display: null,
      valid: false,
      withheldReason: 'WITHHELD',
    });
    expect(eventsOf(odd)[0]?.payload.from).toEqual({
      raw: '12345',
      e164: null,
      display: null,
      valid: false,
      withheldReason: null,
    });
  });

  it('shows each tenant only its own calls', async () => {
    const callA = randomUUID();
    const callB = randomUUID();
    expect((await postSigned(url, keyA, ringBody(callA))).status).toBe(202);
    expect((await postSigned(url, keyB, ringBody(callB, { from: '0451234567' }))).status).toBe(202);
    const tokenA = await auth.sign({ tenantId: tenantA });
    const tokenB = await auth.sign({ tenantId: tenantB });
    const query = `query { calls(page: {limit: 200}) { total items { id callId status from { display } line { label } } } }`;
    const a = await graphql(url, tokenA, query);
    const b = await graphql(url, tokenB, query);
    const idsA = a.data?.calls.items.map((c: { callId: string }) => c.callId);
    const idsB = b.data?.calls.items.map((c: { callId: string }) => c.callId);
    expect(idsA).toContain(callA);
    expect(idsA).not.toContain(callB);
    expect(idsB).toEqual([callB]);
    expect(b.data?.calls.items[0]).toMatchObject({ status: 'RINGING', from: { display: '045-123-4567' }, line: null });
    const callOfA = a.data?.calls.items.find((c: { callId: string }) => c.callId === callA);
    expect(callOfA.line).toEqual({ label: '東京店' });

    const byNumber = `query($n: String) { calls(filter: {number: $n}) { items { callId } } }`;
    expect((await graphql(url, tokenB, byNumber, { n: '045-123-4567' })).data?.calls.items).toEqual([
      { callId: callB },
    ]);
    expect((await graphql(url, tokenA, byNumber, { n: '045-123-4567' })).data?.calls.items).toEqual([]);

    const byIdAsA = await graphql(url, tokenA, 'query($id: ID!) { call(id: $id) { callId } }', { id: callOfA.id });
    const byIdAsB = await graphql(url, tokenB, 'query($id: ID!) { call(id: $id) { callId } }', { id: callOfA.id });
    expect(byIdAsA.data?.call).toEqual({ callId: callA });
    expect(byIdAsB.data?.call).toBeNull();

    const unauthenticated = await graphql(url, '', query);
    expect(unauthenticated.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('adds the lines to the shared Tenant entity, for the own tenant only', async () => {
    const tokenA = await auth.sign({ tenantId: tenantA });
    const entities = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Tenant { id lines { label number { display e164 } } } } }`;
    const own = await graphql(url, tokenA, entities, { reps: [{ __typename: 'Tenant', id: tenantA }] });
    expect(own.errors?.[0]?.message).toBeUndefined();
    expect(own.data?._entities).toEqual([
      { id: tenantA, lines: [{ label: '東京店', number: { display: '03-1234-5678', e164: '+81312345678' } }] },
    ]);
    const other = await graphql(url, tokenA, entities, { reps: [{ __typename: 'Tenant', id: tenantB }] });
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(other.data?._entities?.[0] ?? null).toBeNull();
  });
});
