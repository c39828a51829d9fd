import { randomUUID } from 'node:crypto';
import { POPUPS_TOPIC } from '@thankstar/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POPUP_BUDGET } from '../src/popups/fit';
import { callEvent, gql, type Harness, ok, popupOf, produceCall, startHarness } from './support';

const CREATE = 'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }';
const UPDATE = 'mutation ($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }';
const ADD_PHONE = 'mutation ($id: ID!, $phone: PhoneInput!) { addPhoneNumber(customerId: $id, phone: $phone) { id } }';
const DEFINE = 'mutation ($input: CustomFieldDefinitionInput!) { defineCustomField(input: $input) { key } }';
const NOTE = 'mutation ($id: ID!, $notes: String!) { addNote(customerId: $id, notes: $notes) { id } }';
const GET = 'query ($id: ID!) { customer(id: $id) { name tags emails notes phones { raw } } }';

/** A hostile tenant's customer at every limit: every text as long and every list as full as allowed. */
const maximal = (i: number, phone: string, fieldKeys: string[]) => ({
  name: `${'最'.repeat(190)}${i}`,
  nameKana: 'サイダイ',
  company: '株'.repeat(200),
  department: '部'.repeat(200),
  tags: Array.from({ length: 30 }, (_, t) => `${String(t).padStart(2, '0')}${'タ'.repeat(48)}`),
  emails: Array.from({ length: 10 }, (_, e) => `${'m'.repeat(60)}${e}@example.jp`),
  phones: [{ number: phone, label: 'ラ'.repeat(50) }],
  address: {
    postalCode: '150-0001',
    prefecture: '東京都',
    city: '市'.repeat(100),
    street: '番'.repeat(200),
    building: '建'.repeat(200),
  },
  notes: 'メ'.repeat(10_000),
  customFields: fieldKeys.map((key) => ({ key, value: '値'.repeat(1_000) })),
});

// Generous: the suite shares a 2-core machine with every other suite, and nothing here is timed.
describe('hostile neighbours: bounded records and popups that always fit (real Postgres, real Kafka)', {
  timeout: 300_000,
}, () => {
  let h: Harness;
  const tenant = randomUUID();
  let admin: string;
  const fieldKeys = Array.from({ length: 30 }, (_, i) => `f${i}`);

  beforeAll(async () => {
    h = await startHarness();
    admin = await h.sign({ tenantId: tenant, roles: ['tenant-admin', 'operator'] });
    for (const key of fieldKeys) await ok(h, admin, DEFINE, { input: { key, label: `項目${key}`, type: 'TEXT' } });
  });

  /**
   * In two steps: the test app keeps Express's 100 KB JSON body limit (the service's bootstrap
   * allows 256 KB), and a maximal record is ~130 KB of JSON.
   */
  const createMaximal = async (i: number, phone: string) => {
    const { customFields, ...rest } = maximal(i, phone, fieldKeys);
    const { createCustomer } = await ok<{ createCustomer: { id: string } }>(h, admin, CREATE, { input: rest });
    const id = createCustomer.id;
    for (const part of [customFields.slice(0, 15), customFields.slice(15)])
      await ok(h, admin, UPDATE, { id, input: { customFields: part } });
    return id;
  };

  afterAll(async () => {
    await h?.close();
  });

  it('refuses every over-limit write with BAD_USER_INPUT naming the limit, and writes nothing', async () => {
    const refused = async (query: string, variables: Record<string, unknown>) => {
      const r = await gql(h, admin, query, variables);
      expect(r.errors, JSON.stringify(r.data)).toBeDefined();
      const e = r.errors?.[0];
      expect(e?.extensions?.code).toBe('BAD_USER_INPUT');
      return {
        message: e?.message ?? '',
        limits: (e?.extensions?.details as { limits?: { limit: string }[] } | undefined)?.limits ?? [],
      };
    };
    const tags = await refused(CREATE, {
      input: {
        name: 'タグ過多',
        tags: Array.from({ length: 31 }, (_, i) => `t${i}`),
        phones: [{ number: '0311110001' }],
      },
    });
    expect(tags.message).toBe('タグは1件あたり50文字、最大30件までです。');
    expect(tags.limits.map((l) => l.limit)).toEqual(['tags']);
    const several = await refused(CREATE, {
      input: {
        name: '上限超え',
        emails: Array.from({ length: 11 }, (_, i) => `a${i}@example.jp`),
        notes: 'あ'.repeat(10_001),
        customFields: [{ key: 'f0', value: 'x'.repeat(1_001) }],
        phones: [{ number: '0311110002' }],
      },
    });
    expect(several.limits.map((l) => l.limit).sort()).toEqual(['customFieldValue', 'customerNotes', 'emails']);
    expect(several.message).toContain('メールアドレスは1件あたり254文字、最大10件までです。');
    // Nothing of the refused creates exists, not even their numbers.
    const search = await ok<{ customers: { total: number } }>(
      h,
      admin,
      '{ customers(search: { text: "上限超え" }) { total } }',
    );
    expect(search.customers.total).toBe(0);
    const byPhone = await ok<{ customers: { total: number } }>(
      h,
      admin,
      '{ customers(search: { phone: "03-1111-0001" }) { total } }',
    );
    expect(byPhone.customers.total).toBe(0);

    // An update that breaks a limit changes nothing, including the fields that were fine.
    const { createCustomer } = await ok<{ createCustomer: { id: string } }>(h, admin, CREATE, {
      input: { name: '上限 太郎', tags: ['VIP'], phones: [{ number: '0311110003' }] },
    });
    const id = createCustomer.id;
    const longTag = await refused(UPDATE, { id, input: { name: '別名', tags: ['長'.repeat(51)] } });
    expect(longTag.limits.map((l) => l.limit)).toEqual(['tags']);
    // The 11th number of a customer is refused; the first ten go in.
    for (let n = 4; n <= 12; n++)
      await ok(h, admin, ADD_PHONE, { id, phone: { number: `03111100${String(n).padStart(2, '0')}` } });
    const eleventh = await refused(ADD_PHONE, { id, phone: { number: '0311119999' } });
    expect(eleventh.message).toBe('電話番号は1人あたり最大10件までです。');
    await refused(NOTE, { id, notes: 'ノ'.repeat(10_001) });
    await refused(DEFINE, { input: { key: 'f30', label: '31個目', type: 'TEXT' } });
    const after = await ok<{ customer: { name: string; tags: string[]; phones: unknown[] } }>(h, admin, GET, { id });
    expect(after.customer.name).toBe('上限 太郎');
    expect(after.customer.tags).toEqual(['VIP']);
    expect(after.customer.phones).toHaveLength(10);
    const notes = await ok<{ interactions: unknown[] }>(
      h,
      admin,
      `query ($id: ID!) { interactions(customerId: $id) { id } }`,
      {
        id,
      },
    );
    expect(notes.interactions).toHaveLength(0);
  });

  it('a CSV row over a limit is rejected with the reason; the other rows import', async () => {
    const csv = [
      '顧客ID,氏名,電話番号,タグ',
      'L1,上限 一郎,0311120001,VIP',
      `L2,上限 二郎,0311120002,${Array.from({ length: 31 }, (_, i) => `t${i}`).join(';')}`,
      `L3,上限 三郎,${Array.from({ length: 11 }, (_, i) => `031112${String(100 + i).padStart(4, '0')}`).join(';')},`,
      'L4,上限 四郎,0311120004,',
    ].join('\n');
    const r = await ok<{
      importCustomersCsv: {
        created: number;
        rejected: number;
        rows: { line: number; action: string; problems: string[] }[];
      };
    }>(
      h,
      admin,
      'mutation ($input: CustomerImportInput!) { importCustomersCsv(input: $input) { created rejected rows { line action problems } } }',
      { input: { contentBase64: Buffer.from(csv).toString('base64'), encoding: 'UTF8', dryRun: false } },
    );
    expect(r.importCustomersCsv).toMatchObject({ created: 2, rejected: 2 });
    const rejected = r.importCustomersCsv.rows.filter((x) => x.action === 'REJECT');
    expect(rejected).toEqual([
      { line: 3, action: 'REJECT', problems: ['タグは1件あたり50文字、最大30件までです。'] },
      { line: 4, action: 'REJECT', problems: ['電話番号は1件あたり30文字、最大10件までです。'] },
    ]);
  });

  it('a number shared by many maximal customers pops within the budget, through the broker, with a "more" count', async () => {
    const phone = '09077770000';
    for (let i = 0; i < 8; i++) await createMaximal(i, phone);
    const sharing = await ok<{ customers: { total: number } }>(
      h,
      admin,
      `{ customers(search: { phone: "${phone}" }) { total } }`,
    );
    expect(sharing.customers.total).toBe(8);
    const callId = `shared-${randomUUID()}`;
    await produceCall(h, callEvent(tenant, { callId, from: phone }));
    const event = await popupOf(h, tenant, callId);
    const raw = (h.seen.get(POPUPS_TOPIC) ?? []).find((m) => m.value.includes(callId));
    const bytes = Buffer.byteLength(raw?.value ?? '', 'utf8');
    const popup = event.payload as {
      class: string;
      candidates: { id: string; name: string }[];
      moreCandidates: number;
    };
    expect(popup.class).toBe('MULTIPLE_MATCHES');
    // Eight maximal customers are ~1 MB of JSON: what reached the broker is within the budget.
    expect(bytes).toBeLessThanOrEqual(DEFAULT_POPUP_BUDGET + 1024);
    expect(popup.candidates.length).toBeGreaterThanOrEqual(1);
    expect(popup.candidates.length).toBeLessThan(5);
    expect(popup.candidates.length + popup.moreCandidates).toBe(8);
    // The stored popup (pendingPopups, popup(callId)) is the one that was sent.
    const stored = await ok<{ popup: { callId: string; moreCandidates: number; candidates: { id: string }[] } }>(
      h,
      admin,
      'query ($c: ID!) { popup(callId: $c) { callId moreCandidates candidates { id } } }',
      { c: callId },
    );
    expect(stored.popup).toEqual({
      callId,
      moreCandidates: popup.moreCandidates,
      candidates: popup.candidates.map((c) => ({ id: c.id })),
    });

    // One maximal customer alone pops whole: the limits keep a single record well within the budget.
    const solo = '09077771111';
    const soloId = await createMaximal(99, solo);
    const soloCall = `solo-${randomUUID()}`;
    await produceCall(h, callEvent(tenant, { callId: soloCall, from: solo }));
    const one = (await popupOf(h, tenant, soloCall)).payload as {
      class: string;
      customer: { id: string; notes: string; tags: string[]; customFields: { values: string[] }[] };
    };
    expect(one.class).toBe('CUSTOMER');
    expect(one.customer.id).toBe(soloId);
    expect(one.customer.notes).toBe('メ'.repeat(10_000));
    expect(one.customer.tags).toHaveLength(30);
    expect(one.customer.customFields.every((f) => f.values[0] === '値'.repeat(1_000))).toBe(true);
  });
});
