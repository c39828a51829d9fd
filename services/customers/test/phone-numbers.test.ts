import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvent, errorCode, gql, type Harness, ok, popupOf, produceCall, startHarness } from './support';

const CUSTOMER = 'id name phones { id raw display }';
const CREATE = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { ${CUSTOMER} } }`;
const ADD_PHONE = `mutation ($id: ID!, $phone: PhoneInput!) { addPhoneNumber(customerId: $id, phone: $phone) { ${CUSTOMER} } }`;
const BY_PHONE =
  'query ($n: String!, $except: ID) { customersByPhone(number: $n, exceptCustomerId: $except) { id name } }';
const SEARCH = 'query ($s: CustomerSearch) { customers(search: $s) { total items { name } } }';
const REMOVE_PHONE = `mutation ($c: ID!, $p: ID!) { removeCustomerPhone(customerId: $c, phoneId: $p) { ${CUSTOMER} } }`;
const DELETE = 'mutation ($id: ID!) { deleteCustomer(id: $id) }';

interface Row {
  id: string;
  name: string;
  phones: { id: string; raw: string; display: string | null }[];
}

// Generous: these suites share a 2-core machine with every other suite, and nothing here is timed.
describe('phone numbers a CTI product can trust (real Postgres and Kafka)', { timeout: 180_000 }, () => {
  let h: Harness;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  let admin: string;
  let operator: string;
  let adminB: string;
  const create = async (token: string, input: Record<string, unknown>) =>
    (await ok<{ createCustomer: Row }>(h, token, CREATE, { input })).createCustomer;

  beforeAll(async () => {
    h = await startHarness();
    admin = await h.sign({ tenantId: tenantA, roles: ['tenant-admin', 'operator'] });
    operator = await h.sign({ tenantId: tenantA });
    adminB = await h.sign({ tenantId: tenantB, roles: ['tenant-admin', 'operator'] });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('refuses texts that are not phone numbers on every write, in Japanese, and writes nothing', async () => {
    for (const number of ['12345', 'abc-123', '03-0000-0000', '03-1234-5678 内線12']) {
      const r = await gql(h, operator, CREATE, { input: { name: `拒否 ${number}`, phones: [{ number }] } });
      expect(r.errors?.[0]?.extensions?.code).toBe('INVALID_PHONE_NUMBER');
      expect(r.errors?.[0]?.message).toBe(`「${number}」は電話番号ではありません。`);
    }
    expect(
      (await ok<{ customers: { total: number } }>(h, operator, SEARCH, { s: { text: '拒否' } })).customers.total,
    ).toBe(0);
    const c = await create(operator, { name: '番号 確認', phones: [{ number: '０３－６６６６－１２３４' }] });
    expect(c.phones.map((p) => p.display)).toEqual(['03-6666-1234']);
    expect(await errorCode(h, operator, ADD_PHONE, { id: c.id, phone: { number: '12345' } })).toBe(
      'INVALID_PHONE_NUMBER',
    );
    const after = await ok<{ customer: Row }>(h, operator, `query ($id: ID!) { customer(id: $id) { ${CUSTOMER} } }`, {
      id: c.id,
    });
    expect(after.customer.phones).toHaveLength(1);
  });

  it('names the customers that already have a number, in any format, only in the own tenant', async () => {
    const yamada = await create(operator, { name: '山田 花子', phones: [{ number: '090-7777-8888', type: 'MOBILE' }] });
    await create(adminB, { name: '他社 顧客', phones: [{ number: '09077778888' }] });
    const found = await ok<{ customersByPhone: { id: string; name: string }[] }>(h, operator, BY_PHONE, {
      n: '+81 90 7777 8888',
    });
    expect(found.customersByPhone).toEqual([{ id: yamada.id, name: '山田 花子' }]);
    // The customer being edited is not a duplicate of itself.
    expect(
      (await ok<{ customersByPhone: unknown[] }>(h, operator, BY_PHONE, { n: '09077778888', except: yamada.id }))
        .customersByPhone,
    ).toEqual([]);
    expect(
      (await ok<{ customersByPhone: unknown[] }>(h, operator, BY_PHONE, { n: '03-9876-5432' })).customersByPhone,
    ).toEqual([]);
    expect(await errorCode(h, operator, BY_PHONE, { n: '12345' })).toBe('INVALID_PHONE_NUMBER');
    // Tenant B sees its own customer only.
    expect(
      (
        await ok<{ customersByPhone: { name: string }[] }>(h, adminB, BY_PHONE, { n: '090-7777-8888' })
      ).customersByPhone.map((c) => c.name),
    ).toEqual(['他社 顧客']);
  });

  it('finds customers by part of a number through the trigram index, in the own tenant only', async () => {
    await create(operator, { name: '部分 一致', phones: [{ number: '090-1111-2222' }] });
    await create(operator, { name: '部分 末尾', phones: [{ number: '03-3333-1111' }] });
    await create(operator, { name: '部分 なし', phones: [{ number: '03-4444-5555' }] });
    await create(adminB, { name: '他社 部分', phones: [{ number: '090-1111-9999' }] });
    const names = async (token: string, phone: string) =>
      (await ok<{ customers: { items: { name: string }[] } }>(h, token, SEARCH, { s: { phone } })).customers.items
        .map((c) => c.name)
        .sort();
    expect(await names(operator, '1111')).toEqual(['部分 一致', '部分 末尾']);
    expect(await names(operator, '０９０－１１１１')).toEqual(['部分 一致']);
    expect(await names(operator, '+81 90 1111')).toEqual(['部分 一致']);
    expect(await names(adminB, '1111')).toEqual(['他社 部分']);
    // A whole number still matches exactly.
    expect(await names(operator, '03-3333-1111')).toEqual(['部分 末尾']);
    expect(await errorCode(h, operator, SEARCH, { s: { phone: '111' } })).toBe('INVALID_PHONE_NUMBER');

    // In a tenant with many numbers the search's statement reads the trigram index, never every number
    // of the tenant (20,000 here, seeded set-based; services/customers/README.md has 1,500,000).
    const { customersSql } = await import('../src/customers/customers.repository');
    const { database } = await import('../src/database');
    const { dataSourceOptions } = await import('@thankstar/platform');
    const db = await new DataSource(dataSourceOptions(database)).initialize();
    try {
      const big = randomUUID();
      await db.query(
        `WITH c AS (INSERT INTO customers (tenant_id, name, name_kana)
           SELECT $1, '大量 ' || i, 'タイリョウ' FROM generate_series(1, 20000) i RETURNING id)
         INSERT INTO customer_phones (tenant_id, customer_id, raw, national_digits)
           SELECT $1, id, 'x', (80000000 + floor(random() * 19999999))::bigint::text FROM c`,
        [big],
      );
      // As autovacuum would: the GIN index's pending list merged, the statistics fresh.
      await db.query("SELECT gin_clean_pending_list('customer_phones_digits_trgm')");
      await db.query('ANALYZE customers, customer_phones');
      const plan = await db.transaction(async (m) => {
        await m.query(`PREPARE partial_number AS ${customersSql.searchByPartialNumberPage}`);
        const rows: { 'QUERY PLAN': string }[] = await m.query(
          `EXPLAIN EXECUTE partial_number('${big}', '%12345%', 0, 20)`,
        );
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan).toContain('customer_phones_digits_trgm');
      expect(plan).not.toContain('Seq Scan on customer_phones');
    } finally {
      await db.destroy();
    }
  });

  it('lets a tenant admin remove a number: calls from it no longer find the customer', async () => {
    const c = await create(operator, {
      name: '番号 削除',
      phones: [{ number: '03-2222-7777' }, { number: '090-2222-7777' }],
    });
    const landline = c.phones.find((p) => p.raw === '03-2222-7777') as Row['phones'][number];
    expect(await errorCode(h, operator, REMOVE_PHONE, { c: c.id, p: landline.id })).toBe('FORBIDDEN');
    expect(await errorCode(h, adminB, REMOVE_PHONE, { c: c.id, p: landline.id })).toBe('NOT_FOUND');
    const after = await ok<{ removeCustomerPhone: Row }>(h, admin, REMOVE_PHONE, { c: c.id, p: landline.id });
    expect(after.removeCustomerPhone.phones.map((p) => p.raw)).toEqual(['090-2222-7777']);
    expect(await errorCode(h, admin, REMOVE_PHONE, { c: c.id, p: landline.id })).toBe('NOT_FOUND');
    const call = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '0322227777' });
    await produceCall(h, call);
    expect((await popupOf(h, tenantA, call.payload.callId)).payload).toMatchObject({ class: 'UNKNOWN' });
  });

  it('lets a tenant admin delete a customer; its interactions and popups keep working, other tenants cannot', async () => {
    const c = await create(operator, { name: '削除 太郎', phones: [{ number: '03-8888-1212' }] });
    const call = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '0388881212' });
    await produceCall(h, call);
    expect((await popupOf(h, tenantA, call.payload.callId)).payload).toMatchObject({
      class: 'CUSTOMER',
      customer: { name: '削除 太郎' },
    });
    const note = await ok<{ addNote: { id: string } }>(
      h,
      operator,
      'mutation ($id: ID!) { addNote(customerId: $id, notes: "折返し希望") { id } }',
      { id: c.id },
    );
    expect(await errorCode(h, operator, DELETE, { id: c.id })).toBe('FORBIDDEN');
    expect(await errorCode(h, adminB, DELETE, { id: c.id })).toBe('NOT_FOUND');
    expect((await ok<{ deleteCustomer: boolean }>(h, admin, DELETE, { id: c.id })).deleteCustomer).toBe(true);
    const gone = await gql<{ deleteCustomer: boolean }>(h, admin, DELETE, { id: c.id });
    expect(gone.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(gone.errors?.[0]?.message).toBe('顧客が見つかりません。');

    expect(
      (await ok<{ customer: unknown }>(h, operator, 'query ($id: ID!) { customer(id: $id) { id } }', { id: c.id }))
        .customer,
    ).toBeNull();
    expect(
      (await ok<{ customersByPhone: unknown[] }>(h, operator, BY_PHONE, { n: '03-8888-1212' })).customersByPhone,
    ).toEqual([]);
    // The note stays, unlinked; the popup stays as it rang and can still be read and worked on.
    const kept = await ok<{ interaction: { notes: string; customerId: string | null } }>(
      h,
      operator,
      'query ($id: ID!) { interaction(id: $id) { notes customerId } }',
      { id: note.addNote.id },
    );
    expect(kept.interaction).toEqual({ notes: '折返し希望', customerId: null });
    const popup = await ok<{ popup: { class: string; customer: { name: string } } }>(
      h,
      operator,
      'query ($c: ID!) { popup(callId: $c) { class customer { name } } }',
      { c: call.payload.callId },
    );
    expect(popup.popup).toEqual({ class: 'CUSTOMER', customer: { name: '削除 太郎' } });
    const started = await ok<{ startInteraction: { id: string } }>(
      h,
      operator,
      'mutation ($c: ID!) { startInteraction(callId: $c) { id } }',
      { c: call.payload.callId },
    );
    await ok(
      h,
      operator,
      'mutation ($id: ID!) { updateInteraction(id: $id, input: { notes: "削除後のメモ" }) { id } }',
      {
        id: started.startInteraction.id,
      },
    );
    // A call from the number now pops as unknown.
    const next = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '0388881212' });
    await produceCall(h, next);
    expect((await popupOf(h, tenantA, next.payload.callId)).payload).toMatchObject({ class: 'UNKNOWN' });
  });
});
