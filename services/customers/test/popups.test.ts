import { randomUUID } from 'node:crypto';
import { CALL_EVENTS_TOPIC, deadLetterTopic, popupPayloadSchema } from '@thankstar/contracts';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneKeys } from '../src/customers/phone-keys';

/** The popups consumer's group (`<prefix>.customers`), not another customers group reading the same topic. */
const fromPopupsConsumer = (headers: Record<string, string | undefined>) =>
  /(^|\.)customers$/.test(headers['x-dlq-consumer'] ?? '');

import {
  callEvent,
  errorCode,
  eventually,
  type Harness,
  ok,
  popupOf,
  popupsFor,
  produceCall,
  startHarness,
} from './support';

const CREATE = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id name nameKana phones { raw e164 display } } }`;
const PURCHASE = `mutation ($id: ID!, $input: PurchaseInput!) { recordPurchase(customerId: $id, input: $input) { id amountYen } }`;

// Generous: these suites share a 2-core machine with every other suite, and nothing here is timed.
describe('popups from call events (real Postgres and Kafka)', { timeout: 180_000 }, () => {
  let h: Harness;
  let ds: DataSource;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  let tokenA: string;
  let tokenB: string;
  let yamadaId: string;

  beforeAll(async () => {
    h = await startHarness();
    ds = h.app.get(DataSource);
    tokenA = await h.sign({ tenantId: tenantA, name: '佐藤 花子' });
    tokenB = await h.sign({ tenantId: tenantB });
    const created = await ok<{ createCustomer: { id: string } }>(h, tokenA, CREATE, {
      input: {
        name: '山田 太郎',
        nameKana: 'やまだ たろう',
        company: '山田工務店',
        phones: [{ number: '090-1111-2222', type: 'MOBILE', label: '携帯' }],
        tags: ['常連'],
      },
    });
    yamadaId = created.createCustomer.id;
    for (const [on, item, yen] of [
      ['2026-05-01', '洗剤', 3_300],
      ['2026-09-10', 'モップ', 6_600],
    ] as const) {
      await ok(h, tokenA, PURCHASE, { id: yamadaId, input: { purchasedOn: on, item, quantity: 1, amountYen: yen } });
    }
  });

  afterAll(async () => {
    await h?.close();
  });

  it('pops a known number as CUSTOMER with name and history, and records the call as an interaction', async () => {
    const first = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '+819011112222' });
    await produceCall(h, first);
    const popup = (await popupOf(h, tenantA, first.payload.callId)).payload;
    expect(popupPayloadSchema.parse(popup)).toBeTruthy();
    expect(popup).toMatchObject({
      class: 'CUSTOMER',
      notesAllowed: true,
      lineLabel: '東京店',
      customer: { id: yamadaId, name: '山田 太郎', nameKana: 'ヤマダ タロウ', company: '山田工務店', tags: ['常連'] },
      purchaseTotals: { count: 2, lifetimeValueYen: 9_900 },
      candidates: [],
    });
    expect((popup.purchases as { item: string }[]).map((p) => p.item)).toEqual(['モップ', '洗剤']);

    // The second call shows the first one in the history.
    const second = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '09011112222' });
    await produceCall(h, second);
    const again = (await popupOf(h, tenantA, second.payload.callId)).payload as { interactions: { id: string }[] };
    expect(again.interactions.map((i) => i.id)).toEqual([popup.interactionId]);

    const history = await ok<{ interactions: { callId: string; summary: string }[] }>(
      h,
      tokenA,
      'query ($id: ID!) { interactions(customerId: $id) { callId summary } }',
      { id: yamadaId },
    );
    expect(history.interactions.map((i) => i.callId)).toEqual([second.payload.callId, first.payload.callId]);
    expect(history.interactions[0]?.summary).toBe('着信 (東京店)');

    // The stored popup is served as sent.
    const stored = await ok<{ popup: Record<string, unknown> }>(
      h,
      tokenA,
      'query ($c: ID!) { popup(callId: $c) { popupId class customer { name } purchaseTotals { count lifetimeValueYen } caller { e164 display } } }',
      { c: first.payload.callId },
    );
    expect(stored.popup).toEqual({
      popupId: popup.popupId,
      class: 'CUSTOMER',
      customer: { name: '山田 太郎' },
      purchaseTotals: { count: 2, lifetimeValueYen: 9_900 },
      caller: { e164: '+819011112222', display: '090-1111-2222' },
    });
  });

  it('matches messy stored numbers: full-width, brackets, and digits-only legacy rows', async () => {
    const messy = await ok<{ createCustomer: { id: string } }>(h, tokenA, CREATE, {
      input: { name: '株式会社サンプル 受付', phones: [{ number: '（０３）５５５５－１２３４', type: 'WORK' }] },
    });
    const call = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '+81 3 5555 1234' });
    await produceCall(h, call);
    expect((await popupOf(h, tenantA, call.payload.callId)).payload).toMatchObject({
      class: 'CUSTOMER',
      customer: { id: messy.createCustomer.id },
    });

    // A legacy row whose number never parsed to E.164 still matches on national digits.
    const legacy = await ok<{ createCustomer: { id: string } }>(h, tokenA, CREATE, {
      input: { name: '旧データ 顧客' },
    });
    await ds.query(
      `INSERT INTO customer_phones (tenant_id, customer_id, raw, e164, national_digits) VALUES ($1, $2, '045 (111) 2233 代表', NULL, '451112233')`,
      [tenantA, legacy.createCustomer.id],
    );
    const call2 = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '045-111-2233' });
    await produceCall(h, call2);
    expect((await popupOf(h, tenantA, call2.payload.callId)).payload).toMatchObject({
      class: 'CUSTOMER',
      customer: { id: legacy.createCustomer.id },
    });
  });

  it('pops UNKNOWN, WITHHELD, MULTIPLE_MATCHES, EMPLOYEE and NUISANCE', async () => {
    const unknown = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '06-6000-0000' });
    const withheld = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: 'P' });
    const first = await ok<{ createCustomer: { id: string } }>(h, tokenA, CREATE, {
      input: { name: '佐々木 一', phones: [{ number: '0466-22-1111' }] },
    });
    const second = await ok<{ createCustomer: { id: string } }>(h, tokenA, CREATE, {
      input: { name: '佐々木 二', phones: [{ number: '0466221111' }] },
    });
    // The second was in touch more recently (an interaction: the last contact), so it is listed first.
    await ds.query(
      `INSERT INTO interactions (tenant_id, customer_id, kind, occurred_at, summary) VALUES ($1, $2, 'NOTE', now(), '来店')`,
      [tenantA, second.createCustomer.id],
    );
    const multiple = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '+81466221111' });
    for (const [list, raw, note] of [
      ['employee_numbers', '03-7000-0001', '営業部'],
      ['nuisance_numbers', '090-1111-2222', '迷惑'],
    ] as const) {
      const keys = phoneKeys(raw);
      await ds.query(
        `INSERT INTO ${list} (tenant_id, raw, e164, national_digits, ${list === 'employee_numbers' ? 'label' : 'reason'}) VALUES ($1, $2, $3, $4, $5)`,
        [tenantB, raw, keys.e164, keys.nationalDigits, note],
      );
    }
    // Tenant B lists 山田's number (tenant A's customer) as nuisance: that must not leak into A, and in B nuisance wins.
    const employee = callEvent(tenantB, { callId: `call-${randomUUID()}`, from: '0370000001' });
    const nuisance = callEvent(tenantB, { callId: `call-${randomUUID()}`, from: '09011112222' });
    for (const e of [unknown, withheld, multiple, employee, nuisance]) await produceCall(h, e);

    expect((await popupOf(h, tenantA, unknown.payload.callId)).payload).toMatchObject({
      class: 'UNKNOWN',
      customer: null,
      notesAllowed: true,
    });
    expect((await popupOf(h, tenantA, withheld.payload.callId)).payload).toMatchObject({
      class: 'WITHHELD',
      caller: { withheldReason: 'WITHHELD' },
      customer: null,
    });
    const multi = (await popupOf(h, tenantA, multiple.payload.callId)).payload as {
      class: string;
      customer: null;
      candidates: { id: string }[];
    };
    expect(multi.class).toBe('MULTIPLE_MATCHES');
    expect(multi.candidates.map((c) => c.id)).toEqual([second.createCustomer.id, first.createCustomer.id]);
    expect((await popupOf(h, tenantB, employee.payload.callId)).payload).toMatchObject({
      class: 'EMPLOYEE',
      employeeLabel: '営業部',
      notesAllowed: true,
    });
    expect((await popupOf(h, tenantB, nuisance.payload.callId)).payload).toMatchObject({
      class: 'NUISANCE',
      nuisanceReason: '迷惑',
      notesAllowed: false,
      customer: null,
    });
  });

  it('pops once for a duplicate event and for a repeated ring of the same call', async () => {
    const callId = `call-${randomUUID()}`;
    const ring = callEvent(tenantA, { callId, from: '09011112222' });
    const ringAgain = callEvent(tenantA, { callId, from: '09011112222' });
    await produceCall(h, ring);
    await produceCall(h, ring);
    await produceCall(h, ringAgain);
    await eventually('all three processed', async () => {
      const rows: unknown[] = await ds.query('SELECT 1 FROM processed_events WHERE event_id = ANY($1::uuid[])', [
        [ring.id, ringAgain.id],
      ]);
      const outbox: unknown[] = await ds.query('SELECT 1 FROM outbox');
      return rows.length === 2 && outbox.length === 0 ? true : undefined;
    });
    // A later call on the same partition key proves the broker has everything before it.
    const later = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '09011112222' });
    await produceCall(h, later, `${tenantA}:${callId}`);
    await popupOf(h, tenantA, later.payload.callId);
    expect(popupsFor(h, tenantA, callId)).toHaveLength(1);
    expect(
      await ds.query('SELECT id FROM popups WHERE tenant_id = $1 AND call_id = $2', [tenantA, callId]),
    ).toHaveLength(1);
    expect(
      await ds.query('SELECT id FROM interactions WHERE tenant_id = $1 AND call_id = $2', [tenantA, callId]),
    ).toHaveLength(1);
  });

  it('sends poison messages to the dead-letter topic and goes on with the next good one', async () => {
    const key = `${tenantA}:poison-${randomUUID()}`;
    const schemaInvalid = { ...callEvent(tenantA, { callId: 'x', from: '0311112222' }), payload: { callId: 'x' } };
    await h.producer.send({
      topic: CALL_EVENTS_TOPIC,
      messages: [
        { key, value: 'this is {not json' },
        { key, value: JSON.stringify(schemaInvalid) },
      ],
    });
    const good = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '09011112222' });
    await produceCall(h, good, key);
    expect((await popupOf(h, tenantA, good.payload.callId)).payload).toMatchObject({ class: 'CUSTOMER' });
    const dead = await eventually('both poison messages on the DLQ', () => {
      // The popups consumer's own dead letters (the outbound-webhooks group reads call events too).
      const mine = (h.seen.get(deadLetterTopic(CALL_EVENTS_TOPIC)) ?? []).filter(
        (m) => m.key === key && fromPopupsConsumer(m.headers),
      );
      return mine.length >= 2 ? mine : undefined;
    });
    expect(dead.map((m) => m.headers['x-dlq-reason']?.split(':')[0])).toEqual(['INVALID_JSON', 'INVALID_EVENT']);
    expect(dead[0]?.value).toBe('this is {not json');
  });

  it('sets an event that fails for good aside to the dead-letter topic and writes the rest of its batch', async () => {
    // One send on one key: the three land together on one partition, fetched as one batch.
    const key = `${tenantA}:batch-${randomUUID()}`;
    const before = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '09011112222' });
    // Valid to the schema, refused by Postgres (a NUL byte in text): fails for good in the handler.
    const poison = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '09011112222', lineLabel: 'a\u0000b' });
    const after = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '09011112222' });
    await h.producer.send({
      topic: CALL_EVENTS_TOPIC,
      messages: [before, poison, after].map((e) => ({ key, value: JSON.stringify(e) })),
    });
    await popupOf(h, tenantA, before.payload.callId);
    await popupOf(h, tenantA, after.payload.callId);
    const dead = await eventually('the poison event on the DLQ', () =>
      (h.seen.get(deadLetterTopic(CALL_EVENTS_TOPIC)) ?? []).find(
        (m) => m.key === key && fromPopupsConsumer(m.headers),
      ),
    );
    expect(dead.headers['x-dlq-reason']?.split(':')[0]).toBe('HANDLER_FAILED');
    expect(JSON.parse(dead.value).id).toBe(poison.id);
    expect(
      await ds.query('SELECT id FROM popups WHERE tenant_id = $1 AND call_id = $2', [tenantA, poison.payload.callId]),
    ).toHaveLength(0);
    // Each good event was handled once and marked processed; the poison one left no dedup row.
    const processed: { id: string }[] = await ds.query(
      'SELECT event_id::text AS id FROM processed_events WHERE event_id = ANY($1::uuid[])',
      [[before.id, poison.id, after.id]],
    );
    expect(processed.map((r) => r.id).sort()).toEqual([before.id, after.id].sort());
    expect(popupsFor(h, tenantA, before.payload.callId)).toHaveLength(1);
    expect(popupsFor(h, tenantA, after.payload.callId)).toHaveLength(1);
  });

  it('serves pendingPopups for the caller tenant only, newest last', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const callId = `call-${randomUUID()}`;
    await produceCall(h, callEvent(tenantB, { callId, from: '0311112222' }));
    await popupOf(h, tenantB, callId);
    const a = await ok<{ pendingPopups: { callId: string; rangAt: string }[] }>(
      h,
      tokenA,
      'query ($s: String!) { pendingPopups(since: $s) { callId rangAt } }',
      { s: since },
    );
    const b = await ok<{ pendingPopups: { callId: string }[] }>(
      h,
      tokenB,
      'query ($s: String!) { pendingPopups(since: $s) { callId } }',
      { s: since },
    );
    expect(a.pendingPopups.length).toBeGreaterThan(3);
    expect(a.pendingPopups.map((p) => p.callId)).not.toContain(callId);
    expect(b.pendingPopups.map((p) => p.callId)).toContain(callId);
    const times = a.pendingPopups.map((p) => p.rangAt);
    expect(times).toEqual([...times].sort());
    expect(await errorCode(h, tokenA, '{ pendingPopups(since: "yesterday") { callId } }')).toBe('INVALID_SINCE');
  });

  it('keeps tenant B out of tenant A through every query and mutation', async () => {
    const anyA = (await ds.query('SELECT call_id FROM popups WHERE tenant_id = $1 LIMIT 1', [tenantA]))[0]
      .call_id as string;
    expect(
      (await ok<{ popup: unknown }>(h, tokenB, 'query ($c: ID!) { popup(callId: $c) { popupId } }', { c: anyA })).popup,
    ).toBeNull();
    expect(
      (await ok<{ customer: unknown }>(h, tokenB, 'query ($id: ID!) { customer(id: $id) { id } }', { id: yamadaId }))
        .customer,
    ).toBeNull();
    const search = await ok<{ customers: { total: number } }>(
      h,
      tokenB,
      '{ customers(search: { text: "山田" }) { total } }',
    );
    expect(search.customers.total).toBe(0);
    const byPhone = await ok<{ customers: { total: number } }>(
      h,
      tokenB,
      '{ customers(search: { phone: "090-1111-2222" }) { total } }',
    );
    expect(byPhone.customers.total).toBe(0);
    expect(await errorCode(h, tokenB, 'query ($id: ID!) { purchases(customerId: $id) { id } }', { id: yamadaId })).toBe(
      'NOT_FOUND',
    );
    expect(
      await errorCode(h, tokenB, 'query ($id: ID!) { interactions(customerId: $id) { id } }', { id: yamadaId }),
    ).toBe('NOT_FOUND');
    expect(
      await errorCode(
        h,
        tokenB,
        'mutation ($id: ID!) { updateCustomer(id: $id, input: { name: "乗っ取り" }) { id } }',
        { id: yamadaId },
      ),
    ).toBe('NOT_FOUND');
    expect(
      await errorCode(
        h,
        tokenB,
        'mutation ($id: ID!) { addPhoneNumber(customerId: $id, phone: { number: "0311112222" }) { id } }',
        { id: yamadaId },
      ),
    ).toBe('NOT_FOUND');
    expect(
      await errorCode(h, tokenB, PURCHASE, {
        id: yamadaId,
        input: { purchasedOn: '2026-01-01', item: 'x', amountYen: 1 },
      }),
    ).toBe('NOT_FOUND');
    const entities = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id name } ... on Tenant { id customerCount } } }`;
    expect(
      (await ok<{ _entities: unknown[] }>(h, tokenB, entities, { r: [{ __typename: 'Customer', id: yamadaId }] }))
        ._entities,
    ).toEqual([null]);
    expect(await errorCode(h, tokenB, entities, { r: [{ __typename: 'Tenant', id: tenantA }] })).toBe('FORBIDDEN');
    const own = await ok<{ _entities: { customerCount: number }[] }>(h, tokenA, entities, {
      r: [{ __typename: 'Tenant', id: tenantA }],
    });
    expect(own._entities[0]?.customerCount).toBe(5);
    const name = await ok<{ customer: { name: string } }>(
      h,
      tokenA,
      'query ($id: ID!) { customer(id: $id) { name } }',
      { id: yamadaId },
    );
    expect(name.customer.name).toBe('山田 太郎');
  });

  it('refuses calls without a valid token', async () => {
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ customers { total } }' }),
    });
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });
});
