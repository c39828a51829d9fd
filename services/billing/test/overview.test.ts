import { randomUUID } from 'node:crypto';
import { DEFAULT_TIME_ZONE, monthBounds } from '@thankstar/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../src/calendar/month';
import { monthAt } from '../src/usage/overview.service';
import { startTestApp, type TestApp } from './support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const OVERVIEW =
  '{ billingOverview { thisMonth { month invoicedYen invoices } lastMonth { month invoicedYen invoices } drafts unpaid } }';

let invoicesMade = 0;

/**
 * An invoice row as the close, issuing, paying or voiding leave it (the columns the overview reads;
 * the rest as the table's checks want them), on the demo tenant's contract.
 */
async function invoice(
  tenantId: string,
  fields: { credits?: string; status: string; subtotalYen: number; issuedAt: Date | null },
): Promise<string> {
  // One invoice per tenant and month: each row bills its own (old) month.
  const month = addMonths('2001-01', invoicesMade++);
  const [contract] = await t.db.query('SELECT id FROM contracts ORDER BY id LIMIT 1');
  const [row] = await t.db.query(
    `INSERT INTO invoices (tenant_id, kind, month, contract_id, number, status, issuer_name, issuer_registration_number,
       recipient_name, period_start, period_end, lines, taxes, subtotal_yen, tax_yen, total_yen, issued_at,
       credited_invoice_id)
     VALUES ($1, $2, $9, $3, $4, $5, 'Thankstar', 'T1234567890123', 'テスト株式会社', '2020-01-01', '2020-01-31',
       '[]', '[]', $6, 0, $6, $7, $8)
     RETURNING id`,
    [
      tenantId,
      fields.credits ? 'credit-note' : 'invoice',
      contract.id,
      fields.status === 'draft' ? null : `TEST-${randomUUID()}`,
      fields.status,
      fields.subtotalYen,
      fields.issuedAt,
      fields.credits ?? null,
      month,
    ],
  );
  return row.id;
}

describe('billingOverview (back office dashboard)', () => {
  it('sums what was issued this month and last across tenants, less credit notes, and counts what waits', async () => {
    const now = new Date();
    const thisMonth = monthAt(now, DEFAULT_TIME_ZONE);
    const lastMonth = addMonths(thisMonth, -1);
    const inThis = monthBounds(thisMonth, DEFAULT_TIME_ZONE).start;
    const inLast = new Date(monthBounds(lastMonth, DEFAULT_TIME_ZONE).start.getTime() + 3600_000);
    const before = new Date(monthBounds(addMonths(thisMonth, -2), DEFAULT_TIME_ZONE).start.getTime() + 3600_000);
    const a = randomUUID();
    const b = randomUUID();
    await invoice(a, { status: 'issued', subtotalYen: 10_000, issuedAt: inThis });
    const paid = await invoice(b, { status: 'paid', subtotalYen: 25_000, issuedAt: inThis });
    await invoice(b, { credits: paid, status: 'issued', subtotalYen: 3_000, issuedAt: inThis });
    await invoice(a, { status: 'void', subtotalYen: 99_000, issuedAt: inThis });
    await invoice(a, { status: 'paid', subtotalYen: 7_000, issuedAt: inLast });
    await invoice(b, { status: 'paid', subtotalYen: 50_000, issuedAt: before });
    await invoice(a, { status: 'draft', subtotalYen: 12_000, issuedAt: null });
    await invoice(b, { status: 'draft', subtotalYen: 13_000, issuedAt: null });

    const res = await t.gql(await t.sign({ tenantId: randomUUID(), roles: ['back-office'] }), OVERVIEW);
    expect(res.errors).toBeUndefined();
    expect(res.data.billingOverview).toEqual({
      thisMonth: { month: thisMonth, invoicedYen: 10_000 + 25_000 - 3_000, invoices: 2 },
      lastMonth: { month: lastMonth, invoicedYen: 7_000, invoices: 1 },
      drafts: 2,
      // issued, not paid, not a credit note: only tenant a's 10,000.
      unpaid: 1,
    });
    const admin = await t.gql(await t.sign({ tenantId: randomUUID(), roles: ['platform-admin'] }), OVERVIEW);
    expect(admin.data.billingOverview).toEqual(res.data.billingOverview);
  });

  it('is refused to tenant admins, operators and sales: it sums every tenant', async () => {
    for (const role of ['tenant-admin', 'operator', 'sales'] as const) {
      const res = await t.gql(await t.sign({ tenantId: randomUUID(), roles: [role] }), OVERVIEW);
      expect(res.data).toBeNull();
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('nationalHolidays', () => {
  const QUERY = 'query($y: Int!) { nationalHolidays(year: $y) { date name } }';

  it('lists a year of 祝日 for whoever edits a calendar, the same for every tenant', async () => {
    const admin = await t.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    const other = await t.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    const res = await t.gql(admin, QUERY, { y: 2026 });
    expect(res.errors).toBeUndefined();
    expect(res.data.nationalHolidays[0]).toEqual({ date: '2026-01-01', name: '元日' });
    expect(res.data.nationalHolidays).toContainEqual({ date: '2026-11-23', name: '勤労感謝の日' });
    expect((await t.gql(other, QUERY, { y: 2026 })).data).toEqual(res.data);
    const backOffice = await t.gql(await t.sign({ tenantId: randomUUID(), roles: ['back-office'] }), QUERY, {
      y: 2026,
    });
    expect(backOffice.data).toEqual(res.data);
  });

  it('refuses operators and a year outside the table, in Japanese', async () => {
    const operator = await t.gql(await t.sign({ tenantId: randomUUID(), roles: ['operator'] }), QUERY, { y: 2026 });
    expect(operator.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const admin = await t.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    const far = await t.gql(admin, QUERY, { y: 2100 });
    expect(far.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(far.errors?.[0]?.message).toContain('祝日は1970年から2050年まで');
  });
});
