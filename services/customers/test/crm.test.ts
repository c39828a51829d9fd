import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvent, errorCode, gql, type Harness, ok, popupOf, produceCall, startHarness } from './support';

const CREATE = 'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }';
const SEARCH = `query ($s: CustomerSearch, $p: PageInput, $sort: CustomerSort) {
  customers(search: $s, page: $p, sort: $sort) { total items { name nameKana } }
}`;
const DEFINE =
  'mutation ($input: CustomFieldDefinitionInput!) { defineCustomField(input: $input) { key type options required position } }';

// Generous: these suites share a 2-core machine with every other suite, and nothing here is timed.
describe('CRM records, lists, custom fields and search (real Postgres and Kafka)', { timeout: 180_000 }, () => {
  let h: Harness;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  let admin: string;
  let operator: string;
  let adminB: string;

  const names = async (search: Record<string, unknown>, sort = 'KANA_ASC', page?: Record<string, unknown>) =>
    (
      await ok<{ customers: { items: { name: string }[] } }>(h, operator, SEARCH, { s: search, sort, p: page })
    ).customers.items.map((c) => c.name);

  beforeAll(async () => {
    h = await startHarness();
    admin = await h.sign({ tenantId: tenantA, roles: ['tenant-admin', 'operator'] });
    operator = await h.sign({ tenantId: tenantA });
    adminB = await h.sign({ tenantId: tenantB, roles: ['tenant-admin', 'operator'] });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('lets a tenant admin manage employee and nuisance numbers that classify calls', async () => {
    expect(
      await errorCode(h, operator, 'mutation { addNuisanceNumber(number: "0120-000-999", reason: "営業") { id } }'),
    ).toBe('FORBIDDEN');
    expect(
      await errorCode(h, admin, 'mutation { addNuisanceNumber(number: "0120-000-999", reason: " ") { id } }'),
    ).toBe('REASON_REQUIRED');
    expect(await errorCode(h, admin, 'mutation { addEmployeeNumber(number: "abc") { id } }')).toBe(
      'INVALID_PHONE_NUMBER',
    );
    await ok(h, admin, 'mutation { addNuisanceNumber(number: "0120-000-999", reason: "営業") { id } }');
    const again = await ok<{ addNuisanceNumber: { id: string; reason: string; display: string } }>(
      h,
      admin,
      'mutation { addNuisanceNumber(number: "+81 120 000 999", reason: "しつこい営業") { id reason display } }',
    );
    expect(again.addNuisanceNumber).toMatchObject({ reason: 'しつこい営業', display: '0120-000-999' });
    const employee = await ok<{ addEmployeeNumber: { id: string } }>(
      h,
      admin,
      'mutation { addEmployeeNumber(number: "03-5555-0101", label: "営業部 田中") { id } }',
    );
    const lists = await ok<{ nuisanceNumbers: unknown[]; employeeNumbers: { label: string }[] }>(
      h,
      admin,
      '{ nuisanceNumbers { id } employeeNumbers { label } }',
    );
    expect(lists.nuisanceNumbers).toHaveLength(1);
    expect(lists.employeeNumbers).toEqual([{ label: '営業部 田中' }]);
    expect(await errorCode(h, operator, '{ nuisanceNumbers { id } }')).toBe('FORBIDDEN');

    const nuisance = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '0120000999' });
    const staff = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '+81355550101' });
    await produceCall(h, nuisance);
    await produceCall(h, staff);
    expect((await popupOf(h, tenantA, nuisance.payload.callId)).payload).toMatchObject({
      class: 'NUISANCE',
      nuisanceReason: 'しつこい営業',
    });
    expect((await popupOf(h, tenantA, staff.payload.callId)).payload).toMatchObject({
      class: 'EMPLOYEE',
      employeeLabel: '営業部 田中',
    });

    // Tenant B sees none of it and cannot remove it; after A removes the number it is an ordinary caller.
    expect((await ok<{ employeeNumbers: unknown[] }>(h, adminB, '{ employeeNumbers { id } }')).employeeNumbers).toEqual(
      [],
    );
    expect(
      await errorCode(h, adminB, 'mutation ($id: ID!) { removeEmployeeNumber(id: $id) }', {
        id: employee.addEmployeeNumber.id,
      }),
    ).toBe('NOT_FOUND');
    const aNuisance = await ok<{ nuisanceNumbers: { id: string }[] }>(h, admin, '{ nuisanceNumbers { id } }');
    expect((await ok<{ nuisanceNumbers: unknown[] }>(h, adminB, '{ nuisanceNumbers { id } }')).nuisanceNumbers).toEqual(
      [],
    );
    expect(
      await errorCode(h, adminB, 'mutation ($id: ID!) { removeNuisanceNumber(id: $id) }', {
        id: aNuisance.nuisanceNumbers[0]?.id,
      }),
    ).toBe('NOT_FOUND');
    // A non-UUID id is refused before any resolver (libs/platform argument-rules), not looked up.
    expect(await errorCode(h, admin, 'mutation { removeEmployeeNumber(id: "not-a-uuid") }')).toBe('BAD_USER_INPUT');
    expect(await errorCode(h, admin, '{ customer(id: "not-a-uuid") { id } }')).toBe('BAD_USER_INPUT');
    await ok(h, admin, 'mutation ($id: ID!) { removeEmployeeNumber(id: $id) }', { id: employee.addEmployeeNumber.id });
    const later = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '0355550101' });
    await produceCall(h, later);
    expect((await popupOf(h, tenantA, later.payload.callId)).payload).toMatchObject({ class: 'UNKNOWN' });
  });

  it('validates custom fields on write, shows them in the popup, and searches by them', async () => {
    expect(await errorCode(h, operator, DEFINE, { input: { key: 'rank', label: 'ランク', type: 'TEXT' } })).toBe(
      'FORBIDDEN',
    );
    expect(
      await errorCode(h, admin, DEFINE, { input: { key: 'rank', label: 'ランク', type: 'SELECT', options: [] } }),
    ).toBe('INVALID_CUSTOM_FIELD_DEFINITION');
    await ok(h, admin, DEFINE, {
      input: { key: 'rank', label: '会員ランク', type: 'SELECT', options: ['ゴールド', 'シルバー'], required: true },
    });
    await ok(h, admin, DEFINE, {
      input: { key: 'interests', label: '興味', type: 'MULTI_SELECT', options: ['洗剤', 'モップ'] },
    });
    await ok(h, admin, DEFINE, { input: { key: 'visits', label: '来店回数', type: 'NUMBER' } });

    const missing = await gql(h, operator, CREATE, {
      input: { name: '必須 なし', customFields: [{ key: 'visits', value: 'たくさん' }] },
    });
    expect(missing.errors?.[0]?.extensions?.code).toBe('INVALID_CUSTOM_FIELD');
    expect(
      ((missing.errors?.[0]?.extensions?.details ?? { problems: [] }) as { problems: { key: string }[] }).problems
        .map((p) => p.key)
        .sort(),
    ).toEqual(['rank', 'visits']);

    const created = await ok<{ createCustomer: { id: string } }>(h, operator, CREATE, {
      input: {
        name: '上田 美咲',
        nameKana: 'ウエダ ミサキ',
        phones: [{ number: '070-1234-0000' }],
        customFields: [
          { key: 'rank', value: 'ゴールド' },
          { key: 'interests', values: ['洗剤', 'モップ'] },
          { key: 'visits', value: '12' },
        ],
      },
    });
    const ring = callEvent(tenantA, { callId: `call-${randomUUID()}`, from: '07012340000' });
    await produceCall(h, ring);
    const popup = (await popupOf(h, tenantA, ring.payload.callId)).payload as { customer: { customFields: unknown[] } };
    expect(popup.customer.customFields).toEqual([
      { key: 'rank', label: '会員ランク', type: 'SELECT', values: ['ゴールド'] },
      { key: 'interests', label: '興味', type: 'MULTI_SELECT', values: ['洗剤', 'モップ'] },
      { key: 'visits', label: '来店回数', type: 'NUMBER', values: ['12'] },
    ]);
    expect(await names({ customField: { key: 'rank', value: 'ゴールド' } })).toEqual(['上田 美咲']);
    expect(await names({ customField: { key: 'interests', value: 'モップ' } })).toEqual(['上田 美咲']);
    expect(await names({ customField: { key: 'visits', value: '12' } })).toEqual(['上田 美咲']);
    expect(await names({ customField: { key: 'rank', value: 'シルバー' } })).toEqual([]);

    expect(
      await errorCode(
        h,
        operator,
        'mutation ($id: ID!) { updateCustomer(id: $id, input: { customFields: [{ key: "rank", value: "プラチナ" }] }) { id } }',
        {
          id: created.createCustomer.id,
        },
      ),
    ).toBe('INVALID_CUSTOM_FIELD');
    expect(await errorCode(h, admin, DEFINE, { input: { key: 'visits', label: '来店回数', type: 'TEXT' } })).toBe(
      'CUSTOM_FIELD_IN_USE',
    );

    // Tenant B has its own (empty) set of fields and finds nothing of A's.
    expect(
      (await ok<{ customFieldDefinitions: unknown[] }>(h, adminB, '{ customFieldDefinitions { key } }'))
        .customFieldDefinitions,
    ).toEqual([]);
    const b = await ok<{ customers: { total: number } }>(h, adminB, SEARCH, {
      s: { customField: { key: 'rank', value: 'ゴールド' } },
    });
    expect(b.customers.total).toBe(0);
    expect(await errorCode(h, adminB, 'mutation { removeCustomField(key: "rank") }')).toBe('NOT_FOUND');
  });

  it('searches by kanji, kana (any script), partial name, any number format and tag; sorts by kana; pages', async () => {
    for (const input of [
      { name: '山田 太郎', nameKana: 'やまだ たろう', tags: ['VIP'], phones: [{ number: '090-1111-2222' }] },
      { name: '山本 花子', nameKana: 'ﾔﾏﾓﾄ ﾊﾅｺ', phones: [{ number: '03-1234-5678' }] },
      { name: '阿部 健', nameKana: 'アベ ケン', tags: ['VIP', '法人'], company: '阿部商事' },
      { name: '伊藤 誠', nameKana: 'イトウ マコト' },
    ]) {
      await ok(h, operator, CREATE, { input: { ...input, customFields: [{ key: 'rank', value: 'シルバー' }] } });
    }
    expect(await names({ text: '山' })).toEqual(['山田 太郎', '山本 花子']);
    expect(await names({ text: '山田太郎' })).toEqual(['山田 太郎']);
    expect(await names({ text: 'やまも' })).toEqual(['山本 花子']);
    expect(await names({ text: 'ﾔﾏ' })).toEqual(['山田 太郎', '山本 花子']);
    expect(await names({ text: '商事' })).toEqual(['阿部 健']);
    expect(await names({ text: '100%' })).toEqual([]);
    expect(await names({ phone: '+81 90 1111 2222' })).toEqual(['山田 太郎']);
    expect(await names({ phone: '０３（１２３４）５６７８' })).toEqual(['山本 花子']);
    expect(await names({ tag: 'VIP' })).toEqual(['阿部 健', '山田 太郎']);
    expect(await names({ tag: 'VIP', text: '阿部' })).toEqual(['阿部 健']);
    expect(await names({})).toEqual(['阿部 健', '伊藤 誠', '上田 美咲', '山田 太郎', '山本 花子']);
    expect(await names({}, 'KANA_DESC')).toEqual(['山本 花子', '山田 太郎', '上田 美咲', '伊藤 誠', '阿部 健']);
    expect(await names({}, 'KANA_ASC', { offset: 2, limit: 2 })).toEqual(['上田 美咲', '山田 太郎']);
    expect(await errorCode(h, operator, SEARCH, { p: { limit: 500 } })).toBe('INVALID_PAGE');
    expect(await errorCode(h, operator, SEARCH, { s: { phone: 'abc' } })).toBe('INVALID_PHONE_NUMBER');
    const none = await ok<{ customers: { total: number } }>(h, adminB, SEARCH, { s: { text: '山' } });
    expect(none.customers.total).toBe(0);
  });

  it('keeps Japanese addresses normalised and rejects bad ones', async () => {
    const r = await ok<{ createCustomer: { address: unknown } }>(
      h,
      operator,
      `mutation { createCustomer(input: { name: "住所 テスト", customFields: [{ key: "rank", value: "シルバー" }],
         address: { postalCode: "〒1500001", prefecture: "東京", city: "渋谷区", street: "神宮前1-2-3", building: "サンクスタービル4F" } })
         { address { postalCode prefecture city street building } } }`,
    );
    expect(r.createCustomer.address).toEqual({
      postalCode: '150-0001',
      prefecture: '東京都',
      city: '渋谷区',
      street: '神宮前1-2-3',
      building: 'サンクスタービル4F',
    });
    expect(
      await errorCode(
        h,
        operator,
        'mutation { createCustomer(input: { name: "x", address: { prefecture: "カリフォルニア" } }) { id } }',
      ),
    ).toBe('INVALID_ADDRESS');
  });
});
