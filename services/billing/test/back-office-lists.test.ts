import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support';

/**
 * Issue 20, items 1 and 2: the back office's lists across tenants (contracts and invoices:
 * filters, sort, pages, totals), bulk issue, and what the PDF prints (発行日 in Japan time,
 * 支払期限 and 振込先 from the provider's settings), with tenants kept apart.
 */
let t: TestApp;
beforeAll(async () => {
  // The close waits for rating to pass the month's end: start the groups at the topics' end.
  t = await startTestApp({ skipHistory: true });
});
afterAll(async () => {
  await t?.close();
});

const backOffice = () => t.sign({ tenantId: randomUUID(), roles: ['back-office'] });
const PAGE = `total items { id tenantId status month number totalYen tenant { id } paymentDueDate pdfPath }
  byStatus { status count totalYen }`;

async function contract(tenantId: string, planCode: string, recipientName: string) {
  const res = await t.gql(await backOffice(), 'mutation($i: NewContractInput!) { createContract(input: $i) { id } }', {
    i: { tenantId, recipientName, planCode, serviceStartDate: '2026-04-01', listInput: 'NONE', connectionPacks: 0 },
  });
  expect(res.errors).toBeUndefined();
  return res.data.createContract.id as string;
}

async function close(tenantId: string, month: string) {
  const res = await t.gql(
    await backOffice(),
    'mutation($t: ID!, $m: String!) { closeMonth(tenantId: $t, month: $m) { id status totalYen } }',
    { t: tenantId, m: month },
  );
  expect(res.errors).toBeUndefined();
  return res.data.closeMonth as { id: string; status: string; totalYen: number };
}

const invoicePage = async (token: string, variables: Record<string, unknown>) =>
  t.gql(
    token,
    `query($f: InvoiceFilter, $o: Int, $l: Int, $s: InvoiceSort, $d: Boolean) {
       invoicePage(filter: $f, offset: $o, limit: $l, sort: $s, descending: $d) { ${PAGE} } }`,
    variables,
  );

const pdfText = (bytes: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes }).toString('utf8');

describe('the back office works on every tenant', () => {
  const tenants = [randomUUID(), randomUUID(), randomUUID()];
  const drafts: { id: string; totalYen: number }[] = [];

  beforeAll(async () => {
    await contract(tenants[0] as string, 'CLOUD', '株式会社あおば');
    await contract(tenants[1] as string, 'CLOUD', '株式会社いろは');
    await contract(tenants[2] as string, 'INTEGRATION', '株式会社うみべ');
    for (const tenantId of tenants) drafts.push(await close(tenantId, '2026-04'));
  });

  it('lists every tenant’s contracts, filtered by status, plan and tenant, a page at a time', async () => {
    const bo = await backOffice();
    const q = `query($f: ContractFilter, $o: Int, $l: Int) {
      contractPage(filter: $f, offset: $o, limit: $l) { total items { id tenantId status tenant { id } planVersion { plan { code } } } } }`;
    // Ours and the demo tenant's: every page holds the same total, and the pages hold them all once.
    const seen: string[] = [];
    let total = -1;
    for (let offset = 0; total < 0 || offset < total; offset += 2) {
      const page = (await t.gql(bo, q, { o: offset, l: 2 })).data.contractPage;
      expect(page.items.length).toBe(Math.min(2, page.total - offset));
      total = page.total;
      seen.push(...page.items.map((c: { tenantId: string }) => c.tenantId));
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen).toEqual(expect.arrayContaining(tenants));
    const integration = (await t.gql(bo, q, { f: { planCode: 'INTEGRATION' } })).data.contractPage;
    expect(integration.total).toBe(1);
    expect(integration.items[0]).toMatchObject({ tenantId: tenants[2], tenant: { id: tenants[2] } });
    expect((await t.gql(bo, q, { f: { status: 'TERMINATED' } })).data.contractPage.total).toBe(0);
    const one = (await t.gql(bo, q, { f: { tenantId: tenants[1] } })).data.contractPage;
    expect(one.items.map((c: { tenantId: string }) => c.tenantId)).toEqual([tenants[1]]);
    const byId = await t.gql(bo, 'query($id: ID!) { contractById(id: $id) { tenantId } }', { id: one.items[0].id });
    expect(byId.data.contractById.tenantId).toBe(tenants[1]);
    const sales = await t.sign({ tenantId: randomUUID(), roles: ['sales'] });
    expect((await t.gql(sales, q, {})).data.contractPage.total).toBe(total);
    const badLimit = await t.gql(bo, q, { l: 500 });
    expect(badLimit.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(badLimit.errors[0].message).toContain('1ページの件数');
  });

  it('refuses a contract for something that is not a tenant id, in Japanese (not a server error)', async () => {
    // The argument check answers first; the service refuses the same for callers that skip it.
    const res = await t.gql(
      await backOffice(),
      'mutation($i: NewContractInput!) { createContract(input: $i) { id } }',
      {
        i: {
          tenantId: '株式会社あおば',
          recipientName: 'x',
          planCode: 'CLOUD',
          serviceStartDate: '2026-04-01',
          listInput: 'NONE',
        },
      },
    );
    expect(res.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.errors[0].message).toContain('UUID で指定してください');
  });

  it('lists a month’s invoices of every tenant with totals per status, sorted and paged', async () => {
    const bo = await backOffice();
    const month = (await invoicePage(bo, { f: { month: '2026-04' }, s: 'TOTAL', d: false })).data.invoicePage;
    expect(month.total).toBe(3);
    expect(month.items.map((i: { totalYen: number }) => i.totalYen)).toEqual(
      drafts.map((d) => d.totalYen).sort((a, b) => a - b),
    );
    expect(month.items.every((i: { status: string }) => i.status === 'DRAFT')).toBe(true);
    expect(month.byStatus).toEqual([
      { status: 'DRAFT', count: 3, totalYen: drafts.reduce((s, d) => s + d.totalYen, 0) },
    ]);
    const page2 = (await invoicePage(bo, { f: { month: '2026-04' }, o: 2, l: 2, s: 'TOTAL', d: false })).data
      .invoicePage;
    expect(page2.items).toHaveLength(1);
    // The totals are the filtered set's, not the page's.
    expect(page2.byStatus).toEqual(month.byStatus);
    const ofOne = (await invoicePage(bo, { f: { tenantId: tenants[0] } })).data.invoicePage;
    expect(ofOne.items.map((i: { tenant: { id: string } }) => i.tenant.id)).toEqual([tenants[0]]);
    expect((await invoicePage(bo, { f: { month: '2026-03' } })).data.invoicePage.total).toBe(0);
    const badMonth = await invoicePage(bo, { f: { month: '2026-13' } });
    expect(badMonth.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('issues the chosen drafts at once and reports the one it could not issue', async () => {
    const bo = await backOffice();
    const missing = randomUUID();
    const res = await t.gql(
      bo,
      'mutation($ids: [ID!]!) { issueInvoices(ids: $ids) { issued { id status number } failed { invoiceId code message } } }',
      { ids: [drafts[0]?.id, drafts[1]?.id, missing] },
    );
    expect(res.errors).toBeUndefined();
    const { issued, failed } = res.data.issueInvoices;
    expect(issued.map((i: { id: string }) => i.id)).toEqual([drafts[0]?.id, drafts[1]?.id]);
    expect(
      issued.every((i: { status: string; number: string }) => i.status === 'ISSUED' && /^INV-/.test(i.number)),
    ).toBe(true);
    expect(failed).toEqual([{ invoiceId: missing, code: 'NOT_FOUND', message: expect.stringContaining('請求書') }]);
    const again = await t.gql(bo, 'mutation($ids: [ID!]!) { issueInvoices(ids: $ids) { failed { code } } }', {
      ids: [drafts[0]?.id],
    });
    expect(again.data.issueInvoices.failed).toEqual([{ code: 'INVALID_INVOICE_STATUS' }]);
    const month = (await invoicePage(bo, { f: { month: '2026-04' } })).data.invoicePage;
    const byStatus = Object.fromEntries(
      month.byStatus.map((s: { status: string; count: number }) => [s.status, s.count]),
    );
    expect(byStatus).toEqual({ DRAFT: 1, ISSUED: 2 });
    expect((await invoicePage(bo, { f: { month: '2026-04', status: 'DRAFT' } })).data.invoicePage.items).toEqual([
      expect.objectContaining({ id: drafts[2]?.id }),
    ]);
    // Closing an issued month again gives the issued invoice back (the UI says it is issued).
    expect(await close(tenants[0] as string, '2026-04')).toMatchObject({ id: drafts[0]?.id, status: 'ISSUED' });
  });

  it('keeps tenants apart: a tenant admin lists only its own issued invoices and contracts', async () => {
    const adminA = await t.sign({ tenantId: tenants[0] as string, roles: ['tenant-admin'] });
    const own = (await invoicePage(adminA, {})).data.invoicePage;
    expect(own.items.map((i: { id: string }) => i.id)).toEqual([drafts[0]?.id]);
    expect(own.total).toBe(1);
    const named = await invoicePage(adminA, { f: { tenantId: tenants[1] } });
    expect(named.errors[0].extensions.code).toBe('FORBIDDEN');
    // The tenant whose invoice is still a draft sees nothing, even asking for drafts.
    const adminC = await t.sign({ tenantId: tenants[2] as string, roles: ['tenant-admin'] });
    expect((await invoicePage(adminC, { f: { status: 'DRAFT' } })).data.invoicePage).toMatchObject({
      total: 0,
      items: [],
      byStatus: [],
    });
    const contracts = await t.gql(adminA, '{ contractPage { total items { tenantId } } }');
    expect(contracts.data.contractPage).toEqual({ total: 1, items: [{ tenantId: tenants[0] }] });
    const otherContracts = await t.gql(adminA, 'query($t: ID) { contractPage(filter: { tenantId: $t }) { total } }', {
      t: tenants[1],
    });
    expect(otherContracts.errors[0].extensions.code).toBe('FORBIDDEN');
    const otherId = (
      await t.gql(await backOffice(), 'query($t: ID) { contractPage(filter: { tenantId: $t }) { items { id } } }', {
        t: tenants[1],
      })
    ).data.contractPage.items[0].id;
    const byId = await t.gql(adminA, 'query($id: ID!) { contractById(id: $id) { id } }', { id: otherId });
    expect(byId.errors[0].extensions.code).toBe('NOT_FOUND');
    // Operators see no invoices, and neither tenants nor sales touch the invoice settings or issue.
    const operator = await t.sign({ tenantId: tenants[0] as string, roles: ['operator'] });
    expect((await invoicePage(operator, {})).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql(adminA, '{ invoiceSettings { bankAccount } }')).errors[0].extensions.code).toBe('FORBIDDEN');
    const sales = await t.sign({ tenantId: randomUUID(), roles: ['sales'] });
    expect(
      (await t.gql(sales, 'mutation($ids: [ID!]!) { issueInvoices(ids: $ids) { issued { id } } }', { ids: [] }))
        .errors[0].extensions.code,
    ).toBe('FORBIDDEN');
  });
});

describe('支払期限 and 振込先 from the provider’s settings, 発行日 in Japan time', () => {
  const SETTINGS = 'paymentTerms paymentTermDays bankAccount updatedAt';
  const update = async (token: string, input: Record<string, unknown>) =>
    t.gql(token, `mutation($i: InvoiceSettingsInput!) { updateInvoiceSettings(input: $i) { ${SETTINGS} } }`, {
      i: input,
    });

  it('starts from the configuration, is edited by the back office, and each invoice keeps what it was issued with', async () => {
    const bo = await backOffice();
    const defaults = (await t.gql(bo, `{ invoiceSettings { ${SETTINGS} } }`)).data.invoiceSettings;
    expect(defaults).toMatchObject({ paymentTerms: 'END_OF_NEXT_MONTH', paymentTermDays: 30, updatedAt: null });
    const bad = await update(bo, { paymentTerms: 'DAYS_AFTER_ISSUE', paymentTermDays: 0, bankAccount: 'x' });
    expect(bad.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.errors[0].message).toContain('1〜365日');
    const adminOnly = await t.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    expect(
      (await update(adminOnly, { paymentTerms: 'END_OF_NEXT_MONTH', paymentTermDays: 30, bankAccount: 'x' })).errors[0]
        .extensions.code,
    ).toBe('FORBIDDEN');
    const bank = 'みなと銀行 本店営業部 普通 7654321\nサンクスター（カ';
    const saved = await update(bo, {
      paymentTerms: 'END_OF_NEXT_MONTH',
      paymentTermDays: 30,
      bankAccount: ` ${bank} `,
    });
    expect(saved.data.updateInvoiceSettings).toMatchObject({ paymentTerms: 'END_OF_NEXT_MONTH', bankAccount: bank });
    expect(saved.data.updateInvoiceSettings.updatedAt).not.toBeNull();

    const tenantId = randomUUID();
    await contract(tenantId, 'CLOUD', '株式会社おおみそか');
    const draft = await close(tenantId, '2026-05');
    // The draft's PDF already shows where to pay; its due date comes with its issue date.
    const draftPdf = pdfText((await t.http('GET', `/v1/invoices/${draft.id}.pdf`, bo)).bytes);
    expect(draftPdf).toContain('発行日: (未発行)');
    expect(draftPdf).toContain('支払期限: (発行日から決まります: 翌月末)');
    expect(draftPdf).toContain('みなと銀行 本店営業部 普通 7654321');

    const issued = await t.gql(bo, 'mutation($id: ID!) { issueInvoice(id: $id) { id pdfPath } }', { id: draft.id });
    expect(issued.errors).toBeUndefined();
    // Issued at 2026-12-31T16:00Z, which is 2027-01-01 01:00 in Japan: the invoice is dated in Japan.
    await t.db.query(`UPDATE invoices SET issued_at = '2026-12-31T16:00:00Z' WHERE id = $1`, [draft.id]);
    // The bank account changes later: the issued invoice keeps the one it was issued with.
    await update(bo, { paymentTerms: 'DAYS_AFTER_ISSUE', paymentTermDays: 10, bankAccount: '別の銀行 普通 1111111' });

    const admin = await t.sign({ tenantId, roles: ['tenant-admin'] });
    const pdf = await t.http('GET', issued.data.issueInvoice.pdfPath, admin);
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.bytes);
    expect(text).toContain('発行日: 2027年1月1日');
    expect(text).not.toContain('2026-12-31');
    expect(text).toContain('支払期限: 2027年2月28日');
    expect(text).toContain('お振込先');
    expect(text).toContain('みなと銀行 本店営業部 普通 7654321');
    expect(text).toContain('サンクスター（カ');
    expect(text).not.toContain('別の銀行');
    const listed = (await invoicePage(admin, {})).data.invoicePage.items[0];
    expect(listed.paymentDueDate).toBe('2027-02-28');

    // A later invoice is issued with the new settings: 10 days after its (Japan) issue date.
    const next = await close(tenantId, '2026-06');
    await t.gql(bo, 'mutation($id: ID!) { issueInvoice(id: $id) { id } }', { id: next.id });
    await t.db.query(`UPDATE invoices SET issued_at = '2027-02-27T15:30:00Z' WHERE id = $1`, [next.id]);
    const nextText = pdfText((await t.http('GET', `/v1/invoices/${next.id}.pdf`, admin)).bytes);
    expect(nextText).toContain('発行日: 2027年2月28日');
    expect(nextText).toContain('支払期限: 2027年3月10日');
    expect(nextText).toContain('別の銀行 普通 1111111');
  });
});
