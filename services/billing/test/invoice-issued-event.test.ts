import { randomUUID } from 'node:crypto';
import { INVOICES_TOPIC, type InvoiceIssuedEvent, invoiceIssuedSchema } from '@thankstar/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectTopic, eventually, startTestApp, type TestApp } from './support';

/**
 * billing.invoices.v1: an invoice (and a credit note) announces itself in the transaction that
 * issues it, through the outbox to the real broker (customers sends it on as the tenant's
 * `invoice.issued` webhook); a draft announces nothing.
 */
let t: TestApp;
let published: Awaited<ReturnType<typeof collectTopic<InvoiceIssuedEvent>>>;
beforeAll(async () => {
  t = await startTestApp({ skipHistory: true });
  published = await collectTopic(INVOICES_TOPIC, invoiceIssuedSchema);
});
afterAll(async () => {
  await published?.stop();
  await t?.close();
});

const backOffice = () => t.sign({ tenantId: randomUUID(), roles: ['back-office'] });

describe('billing.invoices.v1', () => {
  it('announces an issued invoice and a credit note once each, and no draft', async () => {
    const tenantId = randomUUID();
    const bo = await backOffice();
    const created = await t.gql(bo, 'mutation($i: NewContractInput!) { createContract(input: $i) { id } }', {
      i: {
        tenantId,
        recipientName: '株式会社みなと商会',
        planCode: 'CLOUD',
        serviceStartDate: '2026-04-15',
        listInput: 'PER_POPUP',
        connectionPacks: 1,
      },
    });
    expect(created.errors).toBeUndefined();
    const draft = await t.gql(bo, 'mutation($t: ID!) { closeMonth(tenantId: $t, month: "2026-04") { id status } }', {
      t: tenantId,
    });
    expect(draft.errors).toBeUndefined();
    const id = draft.data.closeMonth.id as string;
    const issued = await t.gql(
      bo,
      'mutation($id: ID!) { issueInvoice(id: $id) { number totalYen taxYen subtotalYen } }',
      {
        id,
      },
    );
    expect(issued.errors).toBeUndefined();
    const credit = await t.gql(
      bo,
      'mutation($id: ID!) { createCreditNote(invoiceId: $id, description: "保守料金の訂正", amountYen: 1000) { id number } }',
      { id },
    );
    expect(credit.errors).toBeUndefined();

    const mine = await eventually(() => {
      const events = published.events.filter((e) => e.tenantId === tenantId);
      return events.length >= 2 ? events : undefined;
    }, 'the invoice and credit note events');
    await new Promise((r) => setTimeout(r, 1000));
    expect(published.events.filter((e) => e.tenantId === tenantId)).toHaveLength(2);
    expect(mine[0]?.payload).toMatchObject({
      invoiceId: id,
      kind: 'invoice',
      month: '2026-04',
      number: issued.data.issueInvoice.number,
      totalYen: issued.data.issueInvoice.totalYen,
      subtotalYen: issued.data.issueInvoice.subtotalYen,
      periodStart: '2026-04-15',
    });
    expect(mine[1]?.payload).toMatchObject({
      invoiceId: credit.data.createCreditNote.id,
      kind: 'credit-note',
      number: credit.data.createCreditNote.number,
      subtotalYen: 1000,
    });
  });
});
