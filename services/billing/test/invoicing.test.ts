import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { type PopupClass, popupSchema, sessionEventSchema } from '@thankstar/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonthlyCloseScheduler } from '../src/invoicing/monthly-close.scheduler';
import { RatingService } from '../src/rating/rating.service';
import { startTestApp, type TestApp } from './support';

let t: TestApp;
let rating: RatingService;
beforeAll(async () => {
  // Rated through the rules directly; the group starts at the topics' end, so the month close
  // (which waits for rating to pass the month's end) is not held back by other tests' popups.
  t = await startTestApp({ skipHistory: true });
  rating = t.app.get(RatingService);
});
afterAll(async () => {
  await t?.close();
});

const INVOICE = `id tenantId kind status number month issuerName issuerRegistrationNumber recipientName periodStart periodEnd
  subtotalYen taxYen totalYen pdfPath creditedInvoiceId lines { kind description quantity unitPriceYen amountYen popupClass }
  taxes { taxRatePercent subtotalYen taxYen }`;

const backOffice = () => t.sign({ tenantId: randomUUID(), roles: ['back-office'] });

/** Through the real rating rules and tables (the Kafka path is covered by rating.test.ts). */
async function ring(tenantId: string, cls: PopupClass, rangAt: string) {
  const event = popupSchema.parse({
    id: randomUUID(),
    type: 'customers.popup',
    tenantId,
    occurredAt: rangAt,
    payload: {
      popupId: randomUUID(),
      callId: randomUUID(),
      class: cls,
      caller: { raw: '0312345678', e164: '+81312345678', display: '03-1234-5678', valid: true, withheldReason: null },
      lineLabel: null,
      rangAt,
      customer: null,
      candidates: [],
      purchases: [],
      purchaseTotals: null,
      interactions: [],
      notesAllowed: cls !== 'NUISANCE',
    },
  });
  await t.db.transaction((m) => rating.ratePopup(event, m));
}

async function seat(tenantId: string, kind: 'seat-registered' | 'seat-deregistered', seatId: string, at: string) {
  const event = sessionEventSchema.parse({
    id: randomUUID(),
    type: 'licensing.session',
    tenantId,
    occurredAt: at,
    payload: { kind, seatId, deviceId: `PC-${seatId.slice(0, 4)}`, at },
  });
  await t.db.transaction((m) => rating.recordSession(event, m));
}

async function contract(
  tenantId: string,
  planCode: string,
  serviceStartDate: string,
  listInput: string,
  packs: number,
) {
  const res = await t.gql(await backOffice(), 'mutation($i: NewContractInput!) { createContract(input: $i) { id } }', {
    i: { tenantId, recipientName: '株式会社みなと商会', planCode, serviceStartDate, listInput, connectionPacks: packs },
  });
  expect(res.errors).toBeUndefined();
  return res.data.createContract.id as string;
}

const at = (day: number, hhmm: string, i: number) =>
  new Date(Date.parse(`2026-04-${String(day).padStart(2, '0')}T${hhmm}:00+09:00`) + i * 1000).toISOString();

const close = async (tenantId: string, month: string) =>
  t.gql(await backOffice(), `mutation($t: ID!, $m: String!) { closeMonth(tenantId: $t, month: $m) { ${INVOICE} } }`, {
    t: tenantId,
    m: month,
  });

describe('monthly close', () => {
  it('the worked example: Cloud plan from 15 April, 3 PCs, one pack, list input per popup', async () => {
    const tenantId = randomUUID();
    await contract(tenantId, 'CLOUD', '2026-04-15', 'PER_POPUP', 1);
    // Three PCs registered in April; one gone before April and one registered at 00:00 on 1 May
    // Tokyo time (still 30 April in UTC): neither is billed for April.
    for (const s of [randomUUID(), randomUUID(), randomUUID()])
      await seat(tenantId, 'seat-registered', s, at(15, '09:00', 0));
    const gone = randomUUID();
    await seat(tenantId, 'seat-registered', gone, '2026-03-02T09:00:00+09:00');
    await seat(tenantId, 'seat-deregistered', gone, '2026-03-31T23:00:00+09:00');
    await seat(tenantId, 'seat-registered', randomUUID(), '2026-05-01T00:00:00+09:00');
    for (let i = 0; i < 120; i++) await ring(tenantId, 'CUSTOMER', at(16, '10:00', i)); // Thursday
    for (let i = 0; i < 10; i++) await ring(tenantId, 'EMPLOYEE', at(17, '11:00', i));
    for (let i = 0; i < 4; i++) await ring(tenantId, 'NUISANCE', at(20, '14:00', i));
    for (let i = 0; i < 6; i++) await ring(tenantId, 'CUSTOMER', at(29, '10:00', i)); // 昭和の日
    for (let i = 0; i < 3; i++) await ring(tenantId, 'UNKNOWN', at(21, '20:00', i)); // after hours, nobody in
    await ring(tenantId, 'CUSTOMER', '2026-05-01T10:00:00+09:00'); // May, not April

    const admin = await t.sign({ tenantId, roles: ['tenant-admin'] });
    const estimate = await t.gql(admin, '{ invoiceEstimate(month: "2026-04") { subtotalYen taxYen totalYen } }');
    expect(estimate.data.invoiceEstimate).toEqual({ subtotalYen: 70_813, taxYen: 7_081, totalYen: 77_894 });
    const res = await close(tenantId, '2026-04');
    expect(res.errors).toBeUndefined();
    const inv = res.data.closeMonth;
    // April has 30 days; 15–30 April is 16 days (日割り, rounded down):
    //   システム保守料金   10,000 × 16/30 = 5,333.3 → 5,333
    //   ソフトウェア料金    1,050 × 16/30 = 560 per PC × 3 PCs = 1,680
    //   顧客 120 × 30 = 3,600; 社員 10 × 15 = 150; 迷惑電話 4 × 0 = 0
    //   休業日 6 and 営業時間外・不在 3: 0 yen
    //   リスト入力 (120 + 10) popups billed above 0 × 5 = 650
    //   同時接続 1 pack: 990 × 5 × 12 = 59,400
    //   subtotal 5,333 + 1,680 + 3,600 + 150 + 650 + 59,400 = 70,813
    //   consumption tax 10% once: 7,081.3 → 7,081; total 77,894
    const lines = Object.fromEntries(
      inv.lines.map((l: any) => [
        `${l.kind}:${l.popupClass ?? l.description}`,
        [l.quantity, l.unitPriceYen, l.amountYen],
      ]),
    );
    expect(inv.lines.find((l: any) => l.kind === 'MAINTENANCE')).toMatchObject({
      quantity: 1,
      unitPriceYen: 5_333,
      amountYen: 5_333,
    });
    expect(inv.lines.find((l: any) => l.kind === 'SOFTWARE_FEE')).toMatchObject({
      quantity: 3,
      unitPriceYen: 560,
      amountYen: 1_680,
    });
    expect(lines['POPUPS:CUSTOMER']).toEqual([120, 30, 3_600]);
    expect(lines['POPUPS:EMPLOYEE']).toEqual([10, 15, 150]);
    expect(lines['POPUPS:NUISANCE']).toEqual([4, 0, 0]);
    expect(
      inv.lines
        .filter((l: any) => l.kind === 'EXEMPT_POPUPS')
        .map((l: any) => l.quantity)
        .sort(),
    ).toEqual([3, 6]);
    expect(inv.lines.find((l: any) => l.kind === 'LIST_INPUT')).toMatchObject({
      quantity: 130,
      unitPriceYen: 5,
      amountYen: 650,
    });
    expect(inv.lines.find((l: any) => l.kind === 'CONNECTION_PACKS')).toMatchObject({
      quantity: 1,
      unitPriceYen: 59_400,
      amountYen: 59_400,
    });
    expect(inv.lines.some((l: any) => l.kind === 'INITIAL_FEE')).toBe(false);
    expect(inv).toMatchObject({
      kind: 'INVOICE',
      status: 'DRAFT',
      number: null,
      month: '2026-04',
      periodStart: '2026-04-15',
      periodEnd: '2026-04-30',
      recipientName: '株式会社みなと商会',
      issuerRegistrationNumber: expect.stringMatching(/^T\d{13}$/),
      subtotalYen: 70_813,
      taxYen: 7_081,
      totalYen: 77_894,
      taxes: [{ taxRatePercent: 10, subtotalYen: 70_813, taxYen: 7_081 }],
    });

    // Idempotent: closing again gives the same invoice; issuing freezes it.
    const again = (await close(tenantId, '2026-04')).data.closeMonth;
    expect(again).toEqual(inv);
    const bo = await backOffice();
    const issued = (await t.gql(bo, `mutation($id: ID!) { issueInvoice(id: $id) { ${INVOICE} } }`, { id: inv.id })).data
      .issueInvoice;
    expect(issued).toMatchObject({ status: 'ISSUED', number: expect.stringMatching(/^INV-\d{6}$/), totalYen: 77_894 });
    await ring(tenantId, 'CUSTOMER', at(28, '10:00', 0));
    expect((await close(tenantId, '2026-04')).data.closeMonth).toEqual(issued);
    const reissue = await t.gql(bo, 'mutation($id: ID!) { issueInvoice(id: $id) { id } }', { id: inv.id });
    expect(reissue.errors[0].extensions.code).toBe('INVALID_INVOICE_STATUS');

    // The tenant admin gets the same data as JSON and as a PDF with Japanese text.
    const mine = await t.gql(admin, `{ invoices { id number totalYen } }`);
    expect(mine.data.invoices).toEqual([{ id: inv.id, number: issued.number, totalYen: 77_894 }]);
    const pdf = await t.http('GET', issued.pdfPath, admin);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf.bytes }).toString('utf8');
    expect(text).toContain('適格請求書');
    expect(text).toContain('株式会社みなと商会 御中');
    expect(text).toContain(issued.number);
    expect(text).toContain(issued.issuerRegistrationNumber);
    expect(text).toContain('取引期間: 2026-04-15 〜 2026-04-30');
    expect(text).toContain('77,894円');
    expect(text).toContain('7,081円');

    // Tenant isolation and roles: another tenant's admin sees nothing; operators see no invoices.
    const otherAdmin = await t.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    expect(
      (
        await t.gql(otherAdmin, 'query($t: ID) { invoiceEstimate(month: "2026-04", tenantId: $t) { totalYen } }', {
          t: tenantId,
        })
      ).errors[0].extensions.code,
    ).toBe('FORBIDDEN');
    expect(
      (await t.gql(otherAdmin, 'query($id: ID!) { invoice(id: $id) { id } }', { id: inv.id })).errors[0].extensions
        .code,
    ).toBe('NOT_FOUND');
    expect((await t.gql(otherAdmin, '{ invoices { id } }')).data.invoices).toEqual([]);
    expect(
      (await t.gql(otherAdmin, 'query($t: ID) { invoices(tenantId: $t) { id } }', { t: tenantId })).errors[0].extensions
        .code,
    ).toBe('FORBIDDEN');
    expect((await t.http('GET', issued.pdfPath, otherAdmin)).body).toMatchObject({ code: 'NOT_FOUND' });
    const operator = await t.sign({ tenantId, roles: ['operator'] });
    expect((await t.gql(operator, '{ invoices { id } }')).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.http('GET', issued.pdfPath, operator)).status).toBe(403);
    expect((await t.http('GET', issued.pdfPath)).status).toBe(401);
    expect(
      (await t.gql(admin, `mutation($t: ID!) { closeMonth(tenantId: $t, month: "2026-04") { id } }`, { t: tenantId }))
        .errors[0].extensions.code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await t.gql(
          admin,
          `mutation($id: ID!) { createCreditNote(invoiceId: $id, description: "x", amountYen: 1) { id } }`,
          { id: inv.id },
        )
      ).errors[0].extensions.code,
    ).toBe('FORBIDDEN');

    // Corrections are credit notes with their own numbers; the invoice itself never changes.
    const credit = await t.gql(
      bo,
      `mutation($id: ID!) { createCreditNote(invoiceId: $id, description: "社員通話の誤分類", amountYen: 1000) { ${INVOICE} } }`,
      { id: inv.id },
    );
    expect(credit.data.createCreditNote).toMatchObject({
      kind: 'CREDIT_NOTE',
      status: 'ISSUED',
      number: expect.stringMatching(/^CN-\d{6}$/),
      creditedInvoiceId: inv.id,
      subtotalYen: 1_000,
      taxYen: 100,
      totalYen: 1_100,
    });
    const tooMuch = await t.gql(
      bo,
      `mutation($id: ID!) { createCreditNote(invoiceId: $id, description: "x", amountYen: 69814) { id } }`,
      { id: inv.id },
    );
    expect(tooMuch.errors[0].extensions.code).toBe('CREDIT_EXCEEDS_INVOICE');
    const creditPdf = execFileSync('pdftotext', ['-', '-'], {
      input: (await t.http('GET', credit.data.createCreditNote.pdfPath, admin)).bytes,
    }).toString('utf8');
    expect(creditPdf).toContain('1,100円');

    const paid = await t.gql(bo, 'mutation($id: ID!) { markInvoicePaid(id: $id) { status totalYen } }', { id: inv.id });
    expect(paid.data.markInvoicePaid).toEqual({ status: 'PAID', totalYen: 77_894 });
    const voidPaid = await t.gql(bo, 'mutation($id: ID!) { voidInvoice(id: $id, reason: "x") { id } }', { id: inv.id });
    expect(voidPaid.errors[0].extensions.code).toBe('INVALID_INVOICE_STATUS');
  }, 180_000);

  it('the last invoice of an Integration contract ended in month 7 of its term carries the early-termination fee', async () => {
    const tenantId = randomUUID();
    const contractId = await contract(tenantId, 'INTEGRATION', '2026-01-01', 'NONE', 0);
    const bo = await backOffice();
    // Term February 2026–January 2027; ending in August (month 7) leaves September–January:
    // 5 months × 5,000 = 25,000 yen.
    const done = await t.gql(
      bo,
      `mutation($id: ID!) { terminateContract(contractId: $id, endMonth: "2026-08", expectedFeeYen: 25000) { status } }`,
      { id: contractId },
    );
    expect(done.errors).toBeUndefined();
    const first = (await close(tenantId, '2026-01')).data.closeMonth;
    // First invoice: initial fee 50,000 + maintenance 5,000 = 55,000; tax 5,500; total 60,500.
    expect(first.lines.map((l: any) => [l.kind, l.amountYen])).toEqual([
      ['INITIAL_FEE', 50_000],
      ['MAINTENANCE', 5_000],
    ]);
    expect([first.subtotalYen, first.taxYen, first.totalYen]).toEqual([55_000, 5_500, 60_500]);
    const last = (await close(tenantId, '2026-08')).data.closeMonth;
    // Last invoice: maintenance 5,000 + early termination 5 × 5,000 = 25,000 → 30,000; tax 3,000; total 33,000.
    expect(last.lines.map((l: any) => [l.kind, l.quantity, l.unitPriceYen, l.amountYen])).toEqual([
      ['MAINTENANCE', 1, 5_000, 5_000],
      ['EARLY_TERMINATION', 5, 5_000, 25_000],
    ]);
    expect([last.subtotalYen, last.taxYen, last.totalYen]).toEqual([30_000, 3_000, 33_000]);
    expect((await close(tenantId, '2026-09')).errors[0].extensions.code).toBe('NOTHING_TO_INVOICE');
    expect((await close(tenantId, '2099-01')).errors[0].extensions.code).toBe('MONTH_NOT_OVER');
    expect((await close(tenantId, '2026-13')).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('numbers issued invoices without gaps, even when issued concurrently', async () => {
    const drafts: string[] = [];
    for (let i = 0; i < 6; i++) {
      const tenantId = randomUUID();
      await contract(tenantId, 'CLOUD', '2026-02-01', 'NONE', 0);
      drafts.push((await close(tenantId, '2026-02')).data.closeMonth.id);
    }
    const bo = await backOffice();
    // One issue fails (a voided draft) and rolls back: it must not burn a number.
    await t.gql(bo, 'mutation($id: ID!) { voidInvoice(id: $id, reason: "取り消し") { id } }', { id: drafts[5] });
    const results = await Promise.all(
      drafts.map((id) => t.gql(bo, 'mutation($id: ID!) { issueInvoice(id: $id) { number } }', { id })),
    );
    expect(results.filter((r) => r.errors).map((r) => r.errors?.[0].extensions.code)).toEqual([
      'INVALID_INVOICE_STATUS',
    ]);
    const all: { number: string }[] = await t.db.query(
      `SELECT number FROM invoices WHERE kind = 'invoice' AND number IS NOT NULL ORDER BY number`,
    );
    const numbers = all.map((r) => Number(r.number.slice(4)));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    const [{ last_number }] = await t.db.query(`SELECT last_number::int FROM invoice_counters WHERE series = 'INV'`);
    expect(last_number).toBe(numbers.length);
  });

  it('the scheduler closes and issues a month once rating has passed 00:00 on the 1st (+ grace) in the tenant timezone', async () => {
    const tenantId = randomUUID();
    await contract(tenantId, 'CLOUD', '2026-03-10', 'NONE', 0);
    const scheduler = t.app.get(MonthlyCloseScheduler);
    const invoiceOf = async () =>
      t.db.query(`SELECT status, number, total_yen::int FROM invoices WHERE tenant_id = $1 AND month = '2026-04'`, [
        tenantId,
      ]);
    await scheduler.tick(new Date('2026-04-30T14:59:00Z')); // 23:59 on 30 April in Tokyo
    expect(await invoiceOf()).toEqual([]);
    await scheduler.tick(new Date('2026-04-30T15:00:00Z')); // 00:00 on 1 May in Tokyo
    // The popups of 23:59 may still be on their way: the close waits for the grace (2 min) and
    // for rating to have consumed everything written before it.
    expect(await invoiceOf()).toEqual([]);
    await scheduler.tick(new Date('2026-04-30T15:02:00Z'));
    // April in full: maintenance 10,000 + tax 1,000 = 11,000.
    expect(await invoiceOf()).toEqual([
      { status: 'issued', number: expect.stringMatching(/^INV-/), total_yen: 11_000 },
    ]);
    await scheduler.tick(new Date('2026-04-30T15:05:00Z'));
    expect(await invoiceOf()).toHaveLength(1);
  });

  it('the scheduler catches up on months missed while it was down, oldest first', async () => {
    const tenantId = randomUUID();
    await contract(tenantId, 'CLOUD', '2026-01-01', 'NONE', 0);
    const scheduler = t.app.get(MonthlyCloseScheduler);
    // First tick after downtime: 00:05 on 1 May 2026 in Tokyo; January to April are over.
    await scheduler.tick(new Date('2026-04-30T15:05:00Z'));
    const rows: { month: string; status: string; number: string; total_yen: number }[] = await t.db.query(
      `SELECT month, status, number, total_yen::int FROM invoices WHERE tenant_id = $1 ORDER BY month`,
      [tenantId],
    );
    expect(rows.map((r) => [r.month, r.status, r.total_yen])).toEqual([
      ['2026-01', 'issued', 11_000],
      ['2026-02', 'issued', 11_000],
      ['2026-03', 'issued', 11_000],
      ['2026-04', 'issued', 11_000],
    ]);
    const numbers = rows.map((r) => Number(r.number.slice(4)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    // Nothing left to do on the next tick.
    await scheduler.tick(new Date('2026-04-30T15:10:00Z'));
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM invoices WHERE tenant_id = $1`, [tenantId]);
    expect(n).toBe(4);
  });
});
