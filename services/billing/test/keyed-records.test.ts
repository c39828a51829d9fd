import { randomUUID } from 'node:crypto';
import { KEYED_RECORDS_TOPIC, type KeyedRecordsEvent, keyedRecordsSchema } from '@thankstar/contracts';
import { KafkaJsBus, kafkaBrokersFromEnv, platformTopics } from '@thankstar/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoicingService } from '../src/invoicing/invoicing.service';
import { KeyedRecordsService } from '../src/keyed-records/keyed-records.service';
import { eventually, startTestApp, type TestApp } from './support';

let t: TestApp;
let bus: KafkaJsBus;
let backOffice: string;

beforeAll(async () => {
  bus = new KafkaJsBus({ clientId: 'billing-test-keyed', brokers: kafkaBrokersFromEnv() });
  await bus.ensureTopics(platformTopics);
  t = await startTestApp({ skipHistory: true });
  backOffice = await t.sign({ tenantId: randomUUID(), roles: ['back-office'] });
}, 120_000);
afterAll(async () => {
  await t?.close();
  await bus?.close();
});

function keyed(tenantId: string, importJobId: string, records: number, startedAt: string): KeyedRecordsEvent {
  return keyedRecordsSchema.parse({
    id: randomUUID(),
    type: 'customers.keyed-records',
    tenantId,
    occurredAt: startedAt,
    payload: { importJobId, records, startedAt, finishedAt: startedAt, outcome: 'SUCCEEDED', errorCode: null },
  });
}

/** As customers' outbox relay publishes them: keyed by tenant, so one tenant's events stay in order. */
const publish = (events: KeyedRecordsEvent[]) =>
  bus.publish(events.map((e) => ({ topic: KEYED_RECORDS_TOPIC, key: e.tenantId, value: JSON.stringify(e) })));

/** Publishes a last event for the tenant and waits for it: every event before it was handled. */
async function drained(tenantId: string): Promise<void> {
  const marker = randomUUID();
  await publish([keyed(tenantId, marker, 1, '2027-03-10T10:00:00+09:00')]);
  await eventually(async () => {
    const rows = await t.db.query('SELECT 1 FROM keyed_imports WHERE tenant_id = $1 AND import_job_id = $2', [
      tenantId,
      marker,
    ]);
    return rows.length > 0 ? true : undefined;
  }, 'the marker event counted');
}

async function contractFor(tenantId: string, listInput: 'PER_RECORD' | 'PER_POPUP') {
  const res = await t.gql(backOffice, 'mutation($i: NewContractInput!) { createContract(input: $i) { id } }', {
    i: {
      tenantId,
      recipientName: '株式会社データ入力',
      planCode: 'CLOUD',
      serviceStartDate: '2026-04-01',
      listInput,
    },
  });
  expect(res.errors).toBeUndefined();
}

const listInputLines = (lines: { kind: string; quantity: number; unitPriceYen: number; amountYen: number }[]) =>
  lines.filter((l) => l.kind === 'LIST_INPUT').map((l) => ({ q: l.quantity, unit: l.unitPriceYen, yen: l.amountYen }));

const setKeyed = (tenantId: string, month: string, records: number) =>
  t.gql(
    backOffice,
    'mutation($t: ID!, $m: String!, $r: Int!) { setKeyedRecords(tenantId: $t, month: $m, records: $r) }',
    {
      t: tenantId,
      m: month,
      r: records,
    },
  );

describe('keyed records from customers (real Kafka and Postgres)', { timeout: 180_000 }, () => {
  const a = randomUUID();
  const b = randomUUID();
  const job1 = randomUUID();
  const job2 = randomUUID();
  const job3 = randomUUID();

  it('counts each import once in its month (tenant timezone); duplicates and replays change nothing', async () => {
    await contractFor(a, 'PER_RECORD');
    await contractFor(b, 'PER_RECORD');
    const first = keyed(a, job1, 120, '2026-05-10T10:00:00+09:00');
    await publish([
      first,
      first, // the same event delivered twice
      keyed(a, job1, 999, '2026-05-10T10:00:00+09:00'), // the same job again under a new event id
      keyed(a, job2, 30, '2026-05-31T15:30:00Z'), // 00:30 on 1 June in Tokyo: June
      keyed(a, job3, 45, '2026-05-20T09:00:00+09:00'),
      keyed(b, job1, 50, '2026-05-11T10:00:00+09:00'), // B, the same job id: B's own
    ]);
    await drained(a);
    await drained(b);
    const rows = await t.db.query(
      `SELECT tenant_id, import_job_id, month, keyed_month, records FROM keyed_imports
        WHERE tenant_id IN ($1, $2) AND month < '2027-01' ORDER BY tenant_id = $1 DESC, month, records`,
      [a, b],
    );
    expect(rows).toEqual([
      { tenant_id: a, import_job_id: job3, month: '2026-05', keyed_month: '2026-05', records: 45 },
      { tenant_id: a, import_job_id: job1, month: '2026-05', keyed_month: '2026-05', records: 120 },
      { tenant_id: a, import_job_id: job2, month: '2026-06', keyed_month: '2026-06', records: 30 },
      { tenant_id: b, import_job_id: job1, month: '2026-05', keyed_month: '2026-05', records: 50 },
    ]);
    const keyedSvc = t.app.get(KeyedRecordsService);
    expect(await keyedSvc.ofMonth(a, '2026-05')).toEqual({ countedImports: 165, adjustment: 0, total: 165 });

    // The month is the tenant's: in New York the same instant as job2's start is still 31 May.
    const ny = randomUUID();
    const cal = await t.gql(
      backOffice,
      'mutation($i: BusinessCalendarInput!, $t: ID) { updateBusinessCalendar(input: $i, tenantId: $t) { timezone } }',
      { t: ny, i: { timezone: 'America/New_York', hours: [], nationalHolidays: false, closures: [] } },
    );
    expect(cal.errors).toBeUndefined();
    const nyJob = randomUUID();
    await publish([keyed(ny, nyJob, 9, '2026-05-31T15:30:00Z')]);
    await drained(ny);
    expect(
      await t.db.query('SELECT month, keyed_month FROM keyed_imports WHERE tenant_id = $1 AND import_job_id = $2', [
        ny,
        nyJob,
      ]),
    ).toEqual([{ month: '2026-05', keyed_month: '2026-05' }]);
    expect(await keyedSvc.ofMonth(b, '2026-05')).toEqual({ countedImports: 50, adjustment: 0, total: 50 });

    // Delivered again straight to the handler (a replay after a crash before the offset commit).
    const consumer = t.app.get((await import('../src/keyed-records/keyed-records.consumer')).KeyedRecordsConsumer);
    await consumer.handle(first);
    await consumer.handle(keyed(a, job1, 7, '2026-05-10T10:00:00+09:00'));
    expect((await keyedSvc.ofMonth(a, '2026-05')).total).toBe(165);

    // The one owner of "records keyed in a month" through the API (customers no longer counts
    // months of its own): a tenant admin sees their tenant's, and only theirs; staff name one.
    const adminA = await t.sign({ tenantId: a, roles: ['tenant-admin'] });
    const q = 'query($m: String!, $t: ID) { keyedRecords(month: $m, tenantId: $t) }';
    expect((await t.gql(adminA, q, { m: '2026-05' })).data.keyedRecords).toBe(165);
    expect((await t.gql(adminA, q, { m: '2026-06' })).data.keyedRecords).toBe(30);
    expect((await t.gql(adminA, q, { m: '2026-05', t: b })).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql(backOffice, q, { m: '2026-05', t: b })).data.keyedRecords).toBe(50);
    expect((await t.gql(adminA, q, { m: '2026-13' })).errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('bills the total in the estimate and the month close, with the back-office adjustment', async () => {
    const token = await t.sign({ tenantId: a, roles: ['tenant-admin'] });
    const est = await t.gql(
      token,
      '{ invoiceEstimate(month: "2026-05") { lines { kind quantity unitPriceYen amountYen } } }',
    );
    expect(est.errors).toBeUndefined();
    // 165 records × 40 yen (docs/product-rules.md#list-input, list input per record).
    expect(listInputLines(est.data.invoiceEstimate.lines)).toEqual([{ q: 165, unit: 40, yen: 6_600 }]);

    // Back office: 15 of those rows were keyed twice by mistake.
    const adj = await setKeyed(a, '2026-05', -15);
    expect(adj.errors).toBeUndefined();
    expect(adj.data.setKeyedRecords).toBe(150);
    const tooMuch = await setKeyed(a, '2026-05', -200);
    expect(tooMuch.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const invoicing = t.app.get(InvoicingService);
    const may = await invoicing.closeMonth(a, '2026-05');
    expect(listInputLines(may.lines)).toEqual([{ q: 150, unit: 40, yen: 6_000 }]);
    // B's month is its own: 50 records, untouched by A's adjustment.
    const mayB = await invoicing.closeMonth(b, '2026-05');
    expect(listInputLines(mayB.lines)).toEqual([{ q: 50, unit: 40, yen: 2_000 }]);
    // A per-popup contract bills no records even if some were reported.
    const c = randomUUID();
    await contractFor(c, 'PER_POPUP');
    await publish([keyed(c, randomUUID(), 80, '2026-05-12T10:00:00+09:00')]);
    await drained(c);
    expect(listInputLines((await invoicing.closeMonth(c, '2026-05')).lines)).toEqual([]);

    // Once May is issued, an import of May reported late goes to June, and May cannot be adjusted.
    await invoicing.issue(may.id);
    const late = randomUUID();
    await publish([keyed(a, late, 12, '2026-05-31T23:00:00+09:00')]);
    await drained(a);
    expect(
      await t.db.query('SELECT month, keyed_month FROM keyed_imports WHERE tenant_id = $1 AND import_job_id = $2', [
        a,
        late,
      ]),
    ).toEqual([{ month: '2026-06', keyed_month: '2026-05' }]);
    expect((await setKeyed(a, '2026-05', 0)).errors?.[0]?.extensions?.code).toBe('MONTH_INVOICED');
    expect(listInputLines((await invoicing.closeMonth(a, '2026-05')).lines)).toEqual([
      { q: 150, unit: 40, yen: 6_000 },
    ]);
    // June bills its own 30 records and, as its own line naming May, the 12 reported late.
    const june = await invoicing.closeMonth(a, '2026-06');
    expect(listInputLines(june.lines)).toEqual([
      { q: 30, unit: 40, yen: 1_200 },
      { q: 12, unit: 40, yen: 480 },
    ]);
    expect(june.lines.filter((l) => l.kind === 'LIST_INPUT').map((l) => [l.description, l.originalMonth])).toEqual([
      ['リスト入力 (データ化 1件ごと)', undefined],
      ['前月以前のご利用分（2026年5月） リスト入力 (データ化 1件ごと)', '2026-05'],
    ]);
  });
});
