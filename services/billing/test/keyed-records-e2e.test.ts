import { randomUUID } from 'node:crypto';
import { KEYED_RECORDS_TOPIC, keyedRecordsSchema } from '@thankstar/contracts';
import { KafkaJsBus, kafkaBrokersFromEnv, platformTopics } from '@thankstar/platform';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The customers service's own test harness: its AppModule on customers_test, in this process.
import { type Harness, startHarness } from '../../customers/test/support';
import { KeyedRecordsService } from '../src/keyed-records/keyed-records.service';
import { eventually, startTestApp, type TestApp } from './support';

/**
 * End to end through the real broker: a data-entry import in customers (its outbox, its relay)
 * → `customers.keyed-records.v1` → billing's consumer → the month's keyed count and the invoice.
 * Two Nest applications in one process, each with its own DataSource (customers_test,
 * billing_test); @nestjs/typeorm warns that a "default" data source is registered twice, which
 * only concerns its global name registry, not the applications' own injectors.
 */
describe('data-entry imports reach billing (customers + billing in one process, real Kafka)', {
  timeout: 300_000,
}, () => {
  let customers: Harness;
  let billing: TestApp;
  let bus: KafkaJsBus;
  let base: string;
  const a = randomUUID();
  const b = randomUUID();
  let adminA: string;
  let adminB: string;
  let backOffice: string;
  /** The current month in Tokyo, both services' zone for these tenants (billing's default calendar). */
  const month = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 7);

  const header = '顧客ID,氏名,フリガナ,携帯,メモ';
  const line = (prefix: string, i: number, memo = '入力') =>
    `${prefix}${i},入力 ${i},ニュウリョク ${i},090${String(30_000_000 + i).slice(-8)},${memo}`;
  const file = (lines: string[]) => iconv.encode([header, ...lines].join('\r\n'), 'cp932');
  const upload = async (token: string, lines: string[], query: string) => {
    const res = await fetch(`${base}/v1/customers/import?encoding=SHIFT_JIS&${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
      body: file(lines),
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as { jobId: string; created: number; updated: number; recordsKeyed: number };
  };
  const billed = (tenantId: string) =>
    billing.db.query(
      'SELECT import_job_id, month, records FROM keyed_imports WHERE tenant_id = $1 ORDER BY received_at, import_job_id',
      [tenantId],
    ) as Promise<{ import_job_id: string; month: string; records: number }[]>;
  const billedJob = (tenantId: string, jobId: string) =>
    eventually(async () => {
      const rows = await billed(tenantId);
      return rows.some((r) => r.import_job_id === jobId) ? rows : undefined;
    }, `billing counted import ${jobId}`);

  beforeAll(async () => {
    bus = new KafkaJsBus({ clientId: 'billing-test-keyed-e2e', brokers: kafkaBrokersFromEnv() });
    await bus.ensureTopics(platformTopics);
    customers = await startHarness();
    base = customers.url.replace(/\/graphql$/, '');
    billing = await startTestApp({ skipHistory: true });
    adminA = await customers.sign({ tenantId: a, roles: ['tenant-admin'] });
    adminB = await customers.sign({ tenantId: b, roles: ['tenant-admin'] });
    backOffice = await billing.sign({ tenantId: randomUUID(), roles: ['back-office'] });
    for (const tenantId of [a, b]) {
      const res = await billing.gql(
        backOffice,
        'mutation($i: NewContractInput!) { createContract(input: $i) { id } }',
        {
          i: {
            tenantId,
            recipientName: '株式会社入力',
            planCode: 'CLOUD',
            serviceStartDate: '2026-04-01',
            listInput: 'PER_RECORD',
          },
        },
      );
      expect(res.errors).toBeUndefined();
    }
  }, 180_000);

  afterAll(async () => {
    await billing?.close();
    await customers?.close();
    await bus?.close();
  });

  it("counts A's data-entry imports once, nothing for dry runs, ordinary imports or unchanged rows, and keeps B apart", async () => {
    const rows = Array.from({ length: 10 }, (_, i) => line('E', i));
    const dry = await upload(adminA, rows, 'dryRun=true&dataEntry=true');
    expect(dry.recordsKeyed).toBe(0);
    const first = await upload(adminA, rows, 'dataEntry=true');
    expect(first).toMatchObject({ created: 10, recordsKeyed: 10 });
    const ordinary = await upload(adminA, [line('O', 1), line('O', 2), line('O', 3)], '');
    expect(ordinary).toMatchObject({ created: 3, recordsKeyed: 0 });
    const unchanged = await upload(adminA, rows, 'dataEntry=true');
    expect(unchanged).toMatchObject({ updated: 10, recordsKeyed: 0 });
    const fix = await upload(adminA, [line('E', 0, '訂正'), line('E', 1, '訂正'), line('E', 2)], 'dataEntry=true');
    expect(fix).toMatchObject({ updated: 3, recordsKeyed: 2 });
    const fromB = await upload(adminB, rows.slice(0, 4), 'dataEntry=true');
    expect(fromB).toMatchObject({ created: 4, recordsKeyed: 4 });

    // A's events are in order on one partition: once the last is counted, every earlier one was.
    expect(await billedJob(a, fix.jobId)).toEqual([
      { import_job_id: first.jobId, month, records: 10 },
      { import_job_id: fix.jobId, month, records: 2 },
    ]);
    expect(await billedJob(b, fromB.jobId)).toEqual([{ import_job_id: fromB.jobId, month, records: 4 }]);
    const keyed = billing.app.get(KeyedRecordsService);
    expect(await keyed.ofMonth(a, month)).toEqual({ countedImports: 12, adjustment: 0, total: 12 });
    expect(await keyed.ofMonth(b, month)).toEqual({ countedImports: 4, adjustment: 0, total: 4 });
    // The tenant admin reads the month's figure from its one owner, billing (customers no longer
    // counts months of its own).
    const tenantAdmin = await billing.sign({ tenantId: a, roles: ['tenant-admin'] });
    const owned = await billing.gql(tenantAdmin, 'query ($m: String!) { keyedRecords(month: $m) }', { m: month });
    expect(owned.errors).toBeUndefined();
    expect(owned.data.keyedRecords).toBe(12);

    // The next-invoice estimate bills them: 12 × 40 yen.
    const est = await billing.gql(
      tenantAdmin,
      '{ invoiceEstimate { month lines { kind quantity unitPriceYen amountYen } } }',
    );
    expect(est.errors).toBeUndefined();
    expect(est.data.invoiceEstimate.month).toBe(month);
    expect(est.data.invoiceEstimate.lines.filter((l: { kind: string }) => l.kind === 'LIST_INPUT')).toEqual([
      { kind: 'LIST_INPUT', quantity: 12, unitPriceYen: 40, amountYen: 480 },
    ]);
  });

  it('a duplicate delivery of what customers sent changes nothing', async () => {
    const sent = (customers.seen.get(KEYED_RECORDS_TOPIC) ?? [])
      .map((m) => ({ raw: m.value, event: keyedRecordsSchema.parse(JSON.parse(m.value)) }))
      .filter((m) => m.event.tenantId === a);
    expect(sent).toHaveLength(2);
    // Redeliver both, then one more real import behind them on the same partition.
    await bus.publish(sent.map((m) => ({ topic: KEYED_RECORDS_TOPIC, key: a, value: m.raw })));
    const after = await upload(adminA, [line('E', 20)], 'dataEntry=true');
    expect(after).toMatchObject({ created: 1, recordsKeyed: 1 });
    const rows = await billedJob(a, after.jobId);
    expect(rows.map((r) => r.records)).toEqual([10, 2, 1]);
    expect((await billing.app.get(KeyedRecordsService).ofMonth(a, month)).total).toBe(13);
  });
});
