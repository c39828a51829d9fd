import { randomUUID } from 'node:crypto';
import { POPUPS_TOPIC, type Popup, type PopupClass, popupSchema } from '@thankstar/contracts';
import { KafkaJsBus, kafkaBrokersFromEnv, platformTopics } from '@thankstar/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoicingService } from '../src/invoicing/invoicing.service';
import { MonthlyCloseScheduler } from '../src/invoicing/monthly-close.scheduler';
import { RatingService } from '../src/rating/rating.service';
import { eventually, popupEvent, startTestApp, type TestApp } from './support';

/**
 * Late data (docs/product-rules.md#late-data, docs/decisions/0007-late-data.md): usage rated after its month's invoice
 * was issued is billed on the next invoice as its own lines naming the month; what is issued is
 * exactly what is billed in the month; packs dated into an issued month are refused. Real
 * Postgres and Kafka. The worked examples in services/billing/README.md come from here.
 */
let t: TestApp;
let bus: KafkaJsBus;
let rating: RatingService;
let invoicing: InvoicingService;
let backOffice: string;

beforeAll(async () => {
  bus = new KafkaJsBus({ clientId: 'billing-test-late', brokers: kafkaBrokersFromEnv() });
  await bus.ensureTopics(platformTopics);
  t = await startTestApp({ skipHistory: true });
  rating = t.app.get(RatingService);
  invoicing = t.app.get(InvoicingService);
  backOffice = await t.sign({ tenantId: randomUUID(), roles: ['back-office'] });
}, 120_000);
afterAll(async () => {
  await t?.close();
  await bus?.close();
});

const LINES = 'lines { kind description quantity unitPriceYen amountYen popupClass originalMonth }';

const popup = (tenantId: string, cls: PopupClass, rangAt: string, callId = randomUUID()): Popup =>
  popupEvent(tenantId, callId, cls, rangAt);

/** Rated through the real rating rules and tables, as the consumer's batch does. */
const ring = (tenantId: string, cls: PopupClass, rangAt: string) =>
  t.db.transaction((m) => rating.ratePopup(popup(tenantId, cls, rangAt), m));

/** 10:00 Tokyo on a day of a month, one second per call. */
const at = (date: string, i = 0) => new Date(Date.parse(`${date}T10:00:00+09:00`) + i * 1000).toISOString();

async function contract(tenantId: string, serviceStartDate: string): Promise<string> {
  const res = await t.gql(backOffice, 'mutation($i: NewContractInput!) { createContract(input: $i) { id } }', {
    i: { tenantId, recipientName: '株式会社おくれ商事', planCode: 'CLOUD', serviceStartDate, listInput: 'NONE' },
  });
  expect(res.errors).toBeUndefined();
  return res.data.createContract.id;
}

const invoiceById = async (id: string) =>
  (
    await t.gql(
      backOffice,
      `query($id: ID!) { invoice(id: $id) { status number month subtotalYen taxYen totalYen ${LINES} } }`,
      { id },
    )
  ).data.invoice;

const billedMonths = async (tenantId: string) =>
  (
    await t.db.query(
      `SELECT to_char(local_date, 'YYYY-MM') AS own, billed_month, count(*)::int AS n FROM rated_calls
        WHERE tenant_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [tenantId],
    )
  ).map((r: { own: string; billed_month: string; n: number }) => [r.own, r.billed_month, r.n]);

const usage = (
  lines: { kind: string; description: string; quantity: number; amountYen: number; originalMonth: string | null }[],
) =>
  lines.filter((l) => l.kind !== 'MAINTENANCE').map((l) => [l.description, l.quantity, l.amountYen, l.originalMonth]);

describe('late data (real Postgres and Kafka)', { timeout: 180_000 }, () => {
  it('a call rated after its month was issued is on the next invoice as a line naming its month; the issued invoice is unchanged', async () => {
    const tenantId = randomUUID();
    const contractId = await contract(tenantId, '2026-09-01');
    for (let i = 0; i < 10; i++) await ring(tenantId, 'CUSTOMER', at('2026-10-15', i)); // Thursday
    const october = await invoicing.closeMonth(tenantId, '2026-10');
    await invoicing.issue(october.id);
    const issued = await invoiceById(october.id);
    // 10,000 maintenance + 10 × 30 = 10,300; tax 1,030; total 11,330.
    expect(issued).toMatchObject({ status: 'ISSUED', subtotalYen: 10_300, taxYen: 1_030, totalYen: 11_330 });

    // A PBX replay after the issue: two customer calls and one employee call of Friday 30 October
    // arrive through the real topic and the rating consumer.
    const late = [
      popup(tenantId, 'CUSTOMER', at('2026-10-30', 0)),
      popup(tenantId, 'CUSTOMER', at('2026-10-30', 1)),
      popup(tenantId, 'EMPLOYEE', at('2026-10-30', 2)),
    ];
    await bus.publish(late.map((e) => ({ topic: POPUPS_TOPIC, key: e.tenantId, value: JSON.stringify(e) })));
    await eventually(async () => {
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM rated_calls WHERE tenant_id = $1`, [tenantId]);
      return n === 13 ? true : undefined;
    }, 'the late calls rated');
    for (let i = 0; i < 5; i++) await ring(tenantId, 'CUSTOMER', at('2026-11-10', i)); // Tuesday
    expect(await billedMonths(tenantId)).toEqual([
      ['2026-10', '2026-10', 10],
      ['2026-10', '2026-11', 3],
      ['2026-11', '2026-11', 5],
    ]);

    // The issued October invoice never changes, even closed again.
    expect(await invoiceById(october.id)).toEqual(issued);
    expect((await invoicing.closeMonth(tenantId, '2026-10')).totalYen).toBe(11_330);

    // November: its own 5 calls and, as their own lines naming October, the 3 late ones.
    // 10,000 + 150 + 60 + 15 = 10,225; tax 1,022 (1,022.5 rounded down); total 11,247.
    const november = await invoicing.closeMonth(tenantId, '2026-11');
    const nov = await invoiceById(november.id);
    expect(usage(nov.lines)).toEqual([
      ['着信ポップアップ (顧客)', 5, 150, null],
      ['前月以前のご利用分（2026年10月） 着信ポップアップ (顧客)', 2, 60, '2026-10'],
      ['前月以前のご利用分（2026年10月） 着信ポップアップ (社員)', 1, 15, '2026-10'],
    ]);
    expect(nov).toMatchObject({ subtotalYen: 10_225, taxYen: 1_022, totalYen: 11_247 });
    // The 取引期間 covers the late month.
    expect(november.periodStart).toBe('2026-10-01');

    // A pack dated into the issued October is refused; dated into November it is accepted.
    const addPack = (purchasedOn: string) =>
      t.gql(
        backOffice,
        'mutation($c: ID!, $d: String!) { addConnectionPacks(contractId: $c, count: 1, purchasedOn: $d) { connectionPacks { purchasedOn } } }',
        { c: contractId, d: purchasedOn },
      );
    const refused = await addPack('2026-10-20');
    expect(refused.errors?.[0]?.extensions?.code).toBe('PACK_MONTH_INVOICED');
    expect(refused.errors?.[0]?.message).toContain('2026年10月分の請求書は発行済み');
    expect(refused.errors?.[0]?.message).toContain('2026年11月以降');
    const [{ n: packs }] = await t.db.query('SELECT count(*)::int AS n FROM connection_packs WHERE contract_id = $1', [
      contractId,
    ]);
    expect(packs).toBe(0);
    const accepted = await addPack('2026-11-02');
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.addConnectionPacks.connectionPacks).toEqual([{ purchasedOn: '2026-11-02' }]);
    // November's draft, rebuilt, bills the pack's first year: 990 × 5 × 12 = 59,400.
    const withPack = await invoicing.closeMonth(tenantId, '2026-11');
    expect(withPack.id).toBe(november.id);
    expect(withPack.lines.find((l) => l.kind === 'CONNECTION_PACKS')?.amountYen).toBe(59_400);
  });

  it('a call rated between the draft and the issue is on the issued invoice', async () => {
    const tenantId = randomUUID();
    await contract(tenantId, '2026-09-01');
    for (let i = 0; i < 3; i++) await ring(tenantId, 'CUSTOMER', at('2026-10-15', i));
    const draft = await invoicing.closeMonth(tenantId, '2026-10');
    expect(draft.lines.find((l) => l.kind === 'POPUPS')?.quantity).toBe(3);
    await ring(tenantId, 'CUSTOMER', at('2026-10-16'));
    const issued = await invoicing.issue(draft.id);
    // Same invoice, rebuilt as it was issued: 10,000 + 4 × 30 = 10,120; tax 1,012; total 11,132.
    expect(issued).toMatchObject({ id: draft.id, status: 'issued', subtotalYen: 10_120, totalYen: 11_132 });
    expect(issued.lines.find((l) => l.kind === 'POPUPS')?.quantity).toBe(4);
    expect(await billedMonths(tenantId)).toEqual([['2026-10', '2026-10', 4]]);
  });

  it('calls rated while the month is being issued are either on the issued invoice or on the next month, never lost', async () => {
    const tenantId = randomUUID();
    await contract(tenantId, '2026-09-01');
    for (let i = 0; i < 5; i++) await ring(tenantId, 'CUSTOMER', at('2026-10-15', i));
    const draft = await invoicing.closeMonth(tenantId, '2026-10');
    // 30 calls of 20 October rated concurrently with the issue (each its own transaction); the
    // issue starts once the first of them is stored, so some are rated before it and some after.
    const calls = Array.from({ length: 30 }, (_, i) => () => ring(tenantId, 'CUSTOMER', at('2026-10-20', i)));
    const [issued] = await Promise.all([
      (calls[0] as () => Promise<void>)().then(() => invoicing.issue(draft.id)),
      ...calls.slice(1).map((call) => call()),
    ]);
    const onInvoice = issued.lines.filter((l) => l.kind === 'POPUPS').reduce((s, l) => s + l.quantity, 0);
    const rows = await billedMonths(tenantId);
    const inOctober = rows.find(([, billed]: string[]) => billed === '2026-10')?.[2] ?? 0;
    const movedOn = rows.find(([, billed]: string[]) => billed === '2026-11')?.[2] ?? 0;
    // What is issued is exactly what is billed in October; the rest is billed in November.
    expect(onInvoice).toBe(inOctober);
    expect(inOctober + movedOn).toBe(35);
    expect(onInvoice).toBeGreaterThanOrEqual(5);
    const november = await invoicing.closeMonth(tenantId, '2026-11');
    const lateLines = november.lines.filter((l) => l.originalMonth === '2026-10');
    expect(lateLines.reduce((s, l) => s + l.quantity, 0)).toBe(movedOn);
  });

  it('late usage of a terminated contract after its final invoice is settled on an invoice of the month after its end', async () => {
    const tenantId = randomUUID();
    const contractId = await contract(tenantId, '2026-09-01');
    const preview = await t.gql(
      backOffice,
      'query($c: ID!) { previewTermination(contractId: $c, endMonth: "2026-10") { feeYen } }',
      { c: contractId },
    );
    const terminated = await t.gql(
      backOffice,
      'mutation($c: ID!, $f: Int!) { terminateContract(contractId: $c, endMonth: "2026-10", expectedFeeYen: $f) { status } }',
      { c: contractId, f: preview.data.previewTermination.feeYen },
    );
    expect(terminated.errors).toBeUndefined();
    for (let i = 0; i < 4; i++) await ring(tenantId, 'CUSTOMER', at('2026-10-15', i));
    const october = await invoicing.closeMonth(tenantId, '2026-10');
    await invoicing.issue(october.id);
    // Nothing late yet: no invoice after the end month.
    await expect(invoicing.closeMonth(tenantId, '2026-11')).rejects.toMatchObject({ code: 'NOTHING_TO_INVOICE' });

    for (let i = 0; i < 2; i++) await ring(tenantId, 'CUSTOMER', at('2026-10-30', i)); // late
    await ring(tenantId, 'CUSTOMER', at('2026-11-10')); // after the end: NO_CONTRACT, 0 yen
    // The scheduler settles it on 2 December as it closes November for everyone.
    const issuedIds = await t.app.get(MonthlyCloseScheduler).tick(new Date('2026-12-02T03:00:00+09:00'));
    const [settlement] = await t.db.query(
      `SELECT id FROM invoices WHERE tenant_id = $1 AND month = '2026-11' AND kind = 'invoice'`,
      [tenantId],
    );
    expect(settlement).toBeDefined();
    expect(issuedIds).toContain(settlement.id);
    const inv = await invoiceById(settlement.id);
    // Only the late lines: 2 × 30 = 60; tax 6; total 66. No maintenance, no fee after the end.
    expect(inv).toMatchObject({ status: 'ISSUED', month: '2026-11', subtotalYen: 60, taxYen: 6, totalYen: 66 });
    expect(inv.lines.map((l: { description: string; amountYen: number }) => [l.description, l.amountYen])).toEqual([
      ['前月以前のご利用分（2026年10月） 着信ポップアップ (顧客)', 60],
    ]);
  });
});
