import { randomUUID } from 'node:crypto';
import {
  deadLetterTopic,
  POPUPS_TOPIC,
  type PopupClass,
  popupSchema,
  SESSIONS_TOPIC,
  sessionEventSchema,
} from '@thankstar/contracts';
import { KafkaJsBus, kafkaBrokersFromEnv, platformTopics } from '@thankstar/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRaw, eventually, popupEvent, startTestApp, type TestApp } from './support';

let t: TestApp;
let bus: KafkaJsBus;
let dlq: Awaited<ReturnType<typeof collectRaw>>;

beforeAll(async () => {
  bus = new KafkaJsBus({ clientId: 'billing-test-writer', brokers: kafkaBrokersFromEnv() });
  await bus.ensureTopics(platformTopics);
  t = await startTestApp({ skipHistory: true });
  dlq = await collectRaw(deadLetterTopic(POPUPS_TOPIC));
});
afterAll(async () => {
  await dlq?.stop();
  await t?.close();
  await bus?.close();
});

const popup = popupEvent;

function session(tenantId: string, payload: Record<string, unknown>) {
  return sessionEventSchema.parse({
    id: randomUUID(),
    type: 'licensing.session',
    tenantId,
    occurredAt: payload.at,
    payload,
  });
}

const publish = (topic: string, events: { tenantId: string; payload: unknown }[]) =>
  bus.publish(events.map((e) => ({ topic, key: e.tenantId, value: JSON.stringify(e) })));

const ratedRows = (tenantId: string) =>
  t.db.query(
    `SELECT call_id, class, local_date::text AS local_date, popup_yen, list_input_yen, amount_yen, exemption
       FROM rated_calls WHERE tenant_id = $1 ORDER BY call_id`,
    [tenantId],
  );

async function contractFor(tenantId: string) {
  const bo = await t.sign({ tenantId: randomUUID(), roles: ['back-office'] });
  const res = await t.gql(bo, 'mutation($i: NewContractInput!) { createContract(input: $i) { id } }', {
    i: {
      tenantId,
      recipientName: '株式会社サンプル',
      planCode: 'CLOUD',
      serviceStartDate: '2026-04-15',
      listInput: 'PER_POPUP',
    },
  });
  expect(res.errors).toBeUndefined();
}

describe('rating consumer (real Kafka and Postgres)', () => {
  it('rates each call once by class, calendar, presence and list input', async () => {
    const tenantId = randomUUID();
    await contractFor(tenantId);
    const leaseId = randomUUID();
    const userId = randomUUID();
    const seatId = randomUUID();
    await publish(SESSIONS_TOPIC, [
      session(tenantId, { kind: 'connected', leaseId, userId, deviceKind: 'web', at: '2026-04-16T20:30:00+09:00' }),
      session(tenantId, { kind: 'disconnected', leaseId, userId, reason: 'closed', at: '2026-04-16T22:00:00+09:00' }),
      session(tenantId, { kind: 'seat-registered', seatId, deviceId: 'PC-01', at: '2026-04-15T09:00:00+09:00' }),
    ]);
    await eventually(async () => {
      const rows = await t.db.query(
        'SELECT 1 FROM presence_intervals WHERE tenant_id = $1 AND connected_at IS NOT NULL AND disconnected_at IS NOT NULL',
        [tenantId],
      );
      const seats = await t.db.query('SELECT 1 FROM seats WHERE tenant_id = $1', [tenantId]);
      return rows.length === 1 && seats.length === 1 ? true : undefined;
    }, 'presence and seat recorded');

    const first = popup(tenantId, 'c1', 'CUSTOMER', '2026-04-15T10:00:00+09:00');
    await publish(POPUPS_TOPIC, [
      first,
      popup(tenantId, 'c2', 'EMPLOYEE', '2026-04-16T11:00:00+09:00'),
      popup(tenantId, 'c3', 'NUISANCE', '2026-04-16T12:00:00+09:00'),
      popup(tenantId, 'c4', 'CUSTOMER', '2026-04-29T10:00:00+09:00'), // 昭和の日
      popup(tenantId, 'c5', 'UNKNOWN', '2026-04-16T20:00:00+09:00'), // after hours, nobody in
      popup(tenantId, 'c6', 'UNKNOWN', '2026-04-16T21:00:00+09:00'), // after hours, the web client is in
      popup(tenantId, 'c7', 'CUSTOMER', '2026-04-14T10:00:00+09:00'), // before the service start
      popup(tenantId, 'c8', 'WITHHELD', '2026-04-17T00:30:00Z'), // 09:30 Friday in Tokyo
    ]);
    const expected = [
      {
        call_id: 'c1',
        class: 'CUSTOMER',
        local_date: '2026-04-15',
        popup_yen: 30,
        list_input_yen: 5,
        amount_yen: 35,
        exemption: null,
      },
      {
        call_id: 'c2',
        class: 'EMPLOYEE',
        local_date: '2026-04-16',
        popup_yen: 15,
        list_input_yen: 5,
        amount_yen: 20,
        exemption: null,
      },
      {
        call_id: 'c3',
        class: 'NUISANCE',
        local_date: '2026-04-16',
        popup_yen: 0,
        list_input_yen: 0,
        amount_yen: 0,
        exemption: null,
      },
      {
        call_id: 'c4',
        class: 'CUSTOMER',
        local_date: '2026-04-29',
        popup_yen: 0,
        list_input_yen: 0,
        amount_yen: 0,
        exemption: 'CLOSED_DAY',
      },
      {
        call_id: 'c5',
        class: 'UNKNOWN',
        local_date: '2026-04-16',
        popup_yen: 0,
        list_input_yen: 0,
        amount_yen: 0,
        exemption: 'AFTER_HOURS_UNATTENDED',
      },
      {
        call_id: 'c6',
        class: 'UNKNOWN',
        local_date: '2026-04-16',
        popup_yen: 30,
        list_input_yen: 5,
        amount_yen: 35,
        exemption: null,
      },
      {
        call_id: 'c7',
        class: 'CUSTOMER',
        local_date: '2026-04-14',
        popup_yen: 0,
        list_input_yen: 0,
        amount_yen: 0,
        exemption: 'NO_CONTRACT',
      },
      {
        call_id: 'c8',
        class: 'WITHHELD',
        local_date: '2026-04-17',
        popup_yen: 30,
        list_input_yen: 5,
        amount_yen: 35,
        exemption: null,
      },
    ];
    await eventually(
      async () => ((await ratedRows(tenantId)).length === 8 ? true : undefined),
      '8 rated calls',
      120_000,
    );
    expect(await ratedRows(tenantId)).toEqual(expected);

    // A replayed event (same id) and a second popup of the same call (new id, other class) change nothing.
    const again = popup(tenantId, 'c1', 'EMPLOYEE', '2026-04-15T10:05:00+09:00');
    const marker = popup(tenantId, 'c9', 'CUSTOMER', '2026-04-20T10:00:00+09:00');
    await publish(POPUPS_TOPIC, [first, again, marker]);
    await eventually(async () => ((await ratedRows(tenantId)).length === 9 ? true : undefined), 'the marker call');
    expect((await ratedRows(tenantId)).slice(0, 8)).toEqual(expected);

    // Usage for charts: per day and class, tenant-scoped.
    const admin = await t.sign({ tenantId, roles: ['tenant-admin'] });
    const usage = await t.gql(
      admin,
      '{ usage(month: "2026-04") { totalPopups totalAmountYen days { date class popups billedPopups amountYen } } }',
    );
    expect(usage.data.usage.totalPopups).toBe(9);
    expect(usage.data.usage.totalAmountYen).toBe(35 + 20 + 35 + 35 + 35);
    expect(usage.data.usage.days).toContainEqual({
      date: '2026-04-16',
      class: 'UNKNOWN',
      popups: 2,
      billedPopups: 1,
      amountYen: 35,
    });
    const other = await t.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    expect(
      (await t.gql(other, 'query($t: ID) { usage(month: "2026-04", tenantId: $t) { totalPopups } }', { t: tenantId }))
        .errors[0].extensions.code,
    ).toBe('FORBIDDEN');
    expect((await t.gql(other, '{ usage(month: "2026-04") { totalPopups } }')).data.usage.totalPopups).toBe(0);
    const operator = await t.sign({ tenantId, roles: ['operator'] });
    expect((await t.gql(operator, '{ usage(month: "2026-04") { totalPopups } }')).errors[0].extensions.code).toBe(
      'FORBIDDEN',
    );
    expect((await t.gql(admin, '{ usage(month: "2026-4") { totalPopups } }')).errors[0].extensions.code).toBe(
      'BAD_USER_INPUT',
    );
  }, 180_000);

  it('re-rates after-hours calls when presence events arrive after the popups', async () => {
    const tenantId = randomUUID();
    await contractFor(tenantId);
    const leaseId = randomUUID();
    const userId = randomUUID();
    // Friday 17 April: the web client is in 19:00–21:00 Tokyo, but billing hears of it late.
    await publish(POPUPS_TOPIC, [
      popup(tenantId, 'in', 'CUSTOMER', '2026-04-17T20:00:00+09:00'),
      popup(tenantId, 'out', 'EMPLOYEE', '2026-04-17T22:00:00+09:00'),
    ]);
    const amounts = async () =>
      Object.fromEntries(
        (await ratedRows(tenantId)).map((r: { call_id: string; amount_yen: number; exemption: string | null }) => [
          r.call_id,
          [r.amount_yen, r.exemption],
        ]),
      );
    await eventually(async () => ((await ratedRows(tenantId)).length === 2 ? true : undefined), 'two rated calls');
    expect(await amounts()).toEqual({ in: [0, 'AFTER_HOURS_UNATTENDED'], out: [0, 'AFTER_HOURS_UNATTENDED'] });

    await publish(SESSIONS_TOPIC, [
      session(tenantId, { kind: 'connected', leaseId, userId, deviceKind: 'mobile', at: '2026-04-17T19:00:00+09:00' }),
    ]);
    // Connected and not yet known to have left: both calls had someone in (30 + 5, 15 + 5).
    await eventually(
      async () => ((await amounts()).out?.[0] === 20 ? true : undefined),
      'the calls re-rated as attended',
    );
    expect(await amounts()).toEqual({ in: [35, null], out: [20, null] });

    await publish(SESSIONS_TOPIC, [
      session(tenantId, { kind: 'disconnected', leaseId, userId, reason: 'expired', at: '2026-04-17T21:00:00+09:00' }),
    ]);
    // Gone at 21:00: the 22:00 call was unattended after all.
    await eventually(async () => ((await amounts()).out?.[0] === 0 ? true : undefined), 'the 22:00 call exempt again');
    expect(await amounts()).toEqual({ in: [35, null], out: [0, 'AFTER_HOURS_UNATTENDED'] });
  }, 180_000);

  it('sends a poison message to the dead-letter topic and goes on', async () => {
    const tenantId = randomUUID();
    await contractFor(tenantId);
    const key = `poison-${randomUUID()}`;
    await bus.publish([{ topic: POPUPS_TOPIC, key, value: '{"not": "a popup"' }]);
    await bus.publish([
      {
        topic: POPUPS_TOPIC,
        key: tenantId,
        value: JSON.stringify(popup(tenantId, 'after-poison', 'CUSTOMER', '2026-04-20T10:00:00+09:00')),
      },
    ]);
    // Other services' consumers dead-letter it too: pick billing's copy.
    const dead = await eventually(
      () => dlq.messages.find((m) => m.key === key && m.headers['x-dlq-consumer']?.endsWith('.billing.rating')),
      'the poison message on the DLQ',
    );
    expect(dead.value?.toString('utf8')).toBe('{"not": "a popup"');
    expect(dead.headers['x-dlq-reason']).toMatch(/^INVALID_JSON/);
    await eventually(
      async () => ((await ratedRows(tenantId)).length === 1 ? true : undefined),
      'the call after the poison message',
    );
    expect(await ratedRows(tenantId)).toMatchObject([{ call_id: 'after-poison', amount_yen: 35 }]);
  });

  it('rates a batch with duplicates and a poison message in it: each call once, the poison to the DLQ', async () => {
    const tenantId = randomUUID();
    await contractFor(tenantId);
    const a = popup(tenantId, 'b1', 'CUSTOMER', '2026-04-20T10:00:00+09:00');
    const b = popup(tenantId, 'b2', 'EMPLOYEE', '2026-04-20T11:00:00+09:00');
    const bSecondPopup = popup(tenantId, 'b2', 'CUSTOMER', '2026-04-20T11:01:00+09:00');
    const poisonKey = `poison-batch-${randomUUID()}`;
    // One publish, one partition (keyed by tenant, the poison too): the consumer gets one batch.
    await bus.publish([
      { topic: POPUPS_TOPIC, key: tenantId, value: JSON.stringify(a) },
      { topic: POPUPS_TOPIC, key: tenantId, value: JSON.stringify(a) }, // duplicate delivery
      { topic: POPUPS_TOPIC, key: tenantId, value: JSON.stringify({ ...a.payload, note: poisonKey }) }, // not an envelope
      { topic: POPUPS_TOPIC, key: tenantId, value: JSON.stringify(b) },
      { topic: POPUPS_TOPIC, key: tenantId, value: JSON.stringify(bSecondPopup) }, // the same call again
      {
        topic: POPUPS_TOPIC,
        key: tenantId,
        value: JSON.stringify(popup(tenantId, 'b3', 'NUISANCE', a.payload.rangAt)),
      },
    ]);
    await eventually(async () => ((await ratedRows(tenantId)).length === 3 ? true : undefined), 'three rated calls');
    const dead = await eventually(
      () =>
        dlq.messages.find(
          (m) =>
            m.value?.toString('utf8').includes(poisonKey) && m.headers['x-dlq-consumer']?.endsWith('.billing.rating'),
        ),
      'the poison message on the DLQ',
    );
    expect(dead.headers['x-dlq-reason']).toMatch(/^INVALID_EVENT/);
    const rated = [
      { call_id: 'b1', class: 'CUSTOMER', amount_yen: 35 },
      { call_id: 'b2', class: 'EMPLOYEE', amount_yen: 20 },
      { call_id: 'b3', class: 'NUISANCE', amount_yen: 0 },
    ];
    expect(await ratedRows(tenantId)).toMatchObject(rated);

    // The whole batch again (a replay after a crash before its offsets were committed) changes
    // nothing; a marker call after it shows the replay has been consumed.
    await publish(POPUPS_TOPIC, [
      a,
      a,
      b,
      bSecondPopup,
      popup(tenantId, 'b4', 'CUSTOMER', '2026-04-21T10:00:00+09:00'),
    ]);
    await eventually(async () => ((await ratedRows(tenantId)).length === 4 ? true : undefined), 'the marker call');
    expect((await ratedRows(tenantId)).slice(0, 3)).toMatchObject(rated);
  });

  it('rolls a failing batch back and retries its events one at a time: only the failing one is dead-lettered', async () => {
    const tenantId = randomUUID();
    await contractFor(tenantId);
    const good = popup(tenantId, 'ok-1', 'CUSTOMER', '2026-04-22T10:00:00+09:00');
    // Valid for the schema, refused by the database: Postgres text cannot hold a NUL character.
    const bad = popup(tenantId, 'nul-\u0000-call', 'CUSTOMER', '2026-04-22T11:00:00+09:00');
    const good2 = popup(tenantId, 'ok-2', 'EMPLOYEE', '2026-04-22T12:00:00+09:00');
    await publish(POPUPS_TOPIC, [good, bad, good2]);
    await eventually(
      async () => ((await ratedRows(tenantId)).length === 2 ? true : undefined),
      'the two good calls',
      60_000,
    );
    expect(await ratedRows(tenantId)).toMatchObject([
      { call_id: 'ok-1', amount_yen: 35 },
      { call_id: 'ok-2', amount_yen: 20 },
    ]);
    const dead = await eventually(
      () =>
        dlq.messages.find(
          (m) =>
            m.headers['x-dlq-consumer']?.endsWith('.billing.rating') &&
            m.headers['x-dlq-reason']?.startsWith('HANDLER_FAILED') &&
            m.value?.toString('utf8').includes(bad.id),
        ),
      'the failing popup on the DLQ',
    );
    expect(dead.headers['x-dlq-source']).toMatch(/^customers\.popups\.v1\//);
  }, 120_000);
});
