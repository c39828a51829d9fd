import { randomUUID } from 'node:crypto';
import { CONTRACTS_TOPIC, type ContractChangedEvent, contractChangedSchema, popupSchema } from '@thankstar/contracts';
import { demo } from '@thankstar/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractsService } from '../src/contracts/contracts.service';
import { InvoicingService } from '../src/invoicing/invoicing.service';
import { cloudPlan } from '../src/plans/default-plans';
import { PlansService } from '../src/plans/plans.service';
import { RatingService } from '../src/rating/rating.service';
import { collectTopic, eventually, startTestApp, type TestApp } from './support';

let t: TestApp;
let published: Awaited<ReturnType<typeof collectTopic<ContractChangedEvent>>>;
beforeAll(async () => {
  // Rated through the rules directly; the group starts at the topics' end, so the month close
  // (which waits for rating to pass the month's end) is not held back by other tests' popups.
  t = await startTestApp({ skipHistory: true });
  published = await collectTopic(CONTRACTS_TOPIC, contractChangedSchema);
});
afterAll(async () => {
  await published?.stop();
  await t?.close();
});

const CONTRACT = `id tenantId recipientName status listInput serviceStartDate connectionCapacity minimumTermFrom minimumTermTo
  endMonth terminationFeeYen connectionPacks { purchasedOn } planVersion { version maintenanceYen plan { code } }`;

const backOffice = () => t.sign({ tenantId: randomUUID(), roles: ['back-office'] });

/** The tenant's billing.contracts.v1 events as published on the broker, once `count` have arrived. */
const publishedFor = (tenantId: string, count: number) =>
  eventually(() => {
    const mine = published.events.filter((e) => e.tenantId === tenantId).map((e) => e.payload);
    return mine.length >= count ? mine.sort((a, b) => a.version - b.version) : undefined;
  }, `${count} contract events of ${tenantId}`);

async function createContract(tenantId: string, planCode = 'CLOUD', serviceStartDate = '2026-04-15', packs = 1) {
  const res = await t.gql(
    await backOffice(),
    `mutation($input: NewContractInput!) { createContract(input: $input) { ${CONTRACT} } }`,
    {
      input: {
        tenantId,
        recipientName: '株式会社テスト',
        planCode,
        serviceStartDate,
        listInput: 'PER_POPUP',
        connectionPacks: packs,
      },
    },
  );
  expect(res.errors).toBeUndefined();
  return res.data.createContract;
}

describe('plans', () => {
  it('seeds the Cloud and Integration plans of the spec, and sales can version them', async () => {
    const sales = await t.sign({ tenantId: randomUUID(), roles: ['sales'] });
    const res = await t.gql(
      sales,
      `{ plans { id code versions { version initialFeeYen maintenanceYen softwareFeePerPcYen connectionPriceYen packSize popupPrices { customer employee nuisance } } } }`,
    );
    expect(
      res.data.plans.map((p: any) => [
        p.code,
        p.versions[0].initialFeeYen,
        p.versions[0].maintenanceYen,
        p.versions[0].softwareFeePerPcYen,
      ]),
    ).toEqual([
      ['CLOUD', 0, 10_000, 1_050],
      ['INTEGRATION', 50_000, 5_000, 0],
    ]);
    expect(res.data.plans[0].versions[0].popupPrices).toEqual({ customer: 30, employee: 15, nuisance: 0 });

    const cloud = res.data.plans[0];
    const input = {
      effectiveFrom: '2027-04-01',
      initialFeeYen: 0,
      maintenanceYen: 12_000,
      softwareFeePerPcYen: 1_050,
      popupPrices: { customer: 30, multipleMatches: 30, unknown: 30, withheld: 30, employee: 15, nuisance: 0 },
      connectionPriceYen: 990,
      packSize: 5,
      packBillingMonths: 12,
      minimumTermMonths: 12,
      listInputPerPopupYen: 5,
      listInputPerRecordYen: 40,
    };
    const added = await t.gql(
      sales,
      `mutation($p: ID!, $i: PlanVersionInput!) { addPlanVersion(planId: $p, input: $i) { version maintenanceYen } }`,
      { p: cloud.id, i: input },
    );
    expect(added.data.addPlanVersion).toEqual({ version: 2, maintenanceYen: 12_000 });
    const again = await t.gql(
      sales,
      `mutation($p: ID!, $i: PlanVersionInput!) { addPlanVersion(planId: $p, input: $i) { version } }`,
      { p: cloud.id, i: input },
    );
    expect(again.errors[0].extensions.code).toBe('PLAN_VERSION_NOT_LATER');
    const negative = await t.gql(
      sales,
      `mutation($p: ID!, $i: PlanVersionInput!) { addPlanVersion(planId: $p, input: $i) { version } }`,
      { p: cloud.id, i: { ...input, effectiveFrom: '2028-01-01', maintenanceYen: -1 } },
    );
    expect(negative.errors[0].extensions.code).toBe('BAD_USER_INPUT');

    const admin = await t.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    const denied = await t.gql(
      admin,
      `mutation($p: ID!, $i: PlanVersionInput!) { addPlanVersion(planId: $p, input: $i) { version } }`,
      { p: cloud.id, i: { ...input, effectiveFrom: '2029-01-01' } },
    );
    expect(denied.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('contracts', () => {
  it('creates a contract, adds packs and publishes billing.contracts.v1 in the same transaction', async () => {
    const tenantId = randomUUID();
    const c = await createContract(tenantId);
    expect(c).toMatchObject({
      status: 'ACTIVE',
      listInput: 'PER_POPUP',
      connectionCapacity: 6,
      minimumTermFrom: '2026-05',
      minimumTermTo: '2027-04',
      connectionPacks: [{ purchasedOn: '2026-04-15' }],
      planVersion: { version: 1, maintenanceYen: 10_000, plan: { code: 'CLOUD' } },
    });
    const added = await t.gql(
      await backOffice(),
      `mutation($id: ID!) { addConnectionPacks(contractId: $id, count: 2, purchasedOn: "2026-09-03") { ${CONTRACT} } }`,
      { id: c.id },
    );
    expect(added.data.addConnectionPacks.connectionCapacity).toBe(16);
    expect(added.data.addConnectionPacks.connectionPacks.map((p: any) => p.purchasedOn)).toEqual([
      '2026-04-15',
      '2026-09-03',
      '2026-09-03',
    ]);
    const events = await publishedFor(tenantId, 2);
    expect(events.map((e) => [e.version, e.status, e.connectionPacks, e.planCode])).toEqual([
      [1, 'active', 1, 'CLOUD'],
      [2, 'active', 3, 'CLOUD'],
    ]);

    const dup = await t.gql(
      await backOffice(),
      `mutation($input: NewContractInput!) { createContract(input: $input) { id } }`,
      {
        input: { tenantId, recipientName: 'x', planCode: 'CLOUD', serviceStartDate: '2026-05-01', listInput: 'NONE' },
      },
    );
    expect(dup.errors[0].extensions.code).toBe('CONTRACT_EXISTS');
    const tooMany = await t.gql(
      await backOffice(),
      `mutation($id: ID!) { addConnectionPacks(contractId: $id, count: 17, purchasedOn: "2026-10-01") { id } }`,
      { id: c.id },
    );
    expect(tooMany.errors[0].extensions.code).toBe('CONNECTION_LIMIT');
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM connection_packs WHERE contract_id = $1', [c.id]);
    expect(n).toBe(3);
  });

  it('previews the early-termination fee, then terminates only at that fee', async () => {
    const tenantId = randomUUID();
    const c = await createContract(tenantId, 'INTEGRATION', '2026-04-01', 0);
    const bo = await backOffice();
    // Term May 2026–April 2027; ending in November (month 7) leaves 5 × 5,000 = 25,000 yen.
    const preview = await t.gql(
      bo,
      `query($id: ID!) { previewTermination(contractId: $id, endMonth: "2026-11") { monthsRemaining feeYen minimumTermTo } }`,
      { id: c.id },
    );
    expect(preview.data.previewTermination).toEqual({ monthsRemaining: 5, feeYen: 25_000, minimumTermTo: '2027-04' });
    const wrong = await t.gql(
      bo,
      `mutation($id: ID!) { terminateContract(contractId: $id, endMonth: "2026-11", expectedFeeYen: 20000) { id } }`,
      { id: c.id },
    );
    expect(wrong.errors[0].extensions.code).toBe('TERMINATION_FEE_CHANGED');
    const [{ status }] = await t.db.query('SELECT status FROM contracts WHERE id = $1', [c.id]);
    expect(status).toBe('active');
    const done = await t.gql(
      bo,
      `mutation($id: ID!) { terminateContract(contractId: $id, endMonth: "2026-11", expectedFeeYen: 25000) { ${CONTRACT} } }`,
      { id: c.id },
    );
    expect(done.data.terminateContract).toMatchObject({
      status: 'TERMINATED',
      endMonth: '2026-11',
      terminationFeeYen: 25_000,
    });
    expect((await publishedFor(tenantId, 2)).map((e) => e.status)).toEqual(['active', 'terminated']);
    const twice = await t.gql(
      bo,
      `mutation($id: ID!) { terminateContract(contractId: $id, endMonth: "2026-11", expectedFeeYen: 25000) { id } }`,
      { id: c.id },
    );
    expect(twice.errors[0].extensions.code).toBe('CONTRACT_TERMINATED');
  });

  it('keeps tenants apart: a tenant admin reads only its own contract and cannot manage contracts', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const ca = await createContract(a);
    await createContract(b);
    const adminB = await t.sign({ tenantId: b, roles: ['tenant-admin'] });
    const own = await t.gql(adminB, '{ contract { tenantId } }');
    expect(own.data.contract.tenantId).toBe(b);
    const other = await t.gql(adminB, `query($a: ID!) { contract(tenantId: $a) { id } }`, { a });
    expect(other.errors[0].extensions.code).toBe('FORBIDDEN');
    const entity = await t.gql(
      adminB,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant { contract { id } } } }`,
      { r: [{ __typename: 'Tenant', id: a }] },
    );
    expect(entity.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(JSON.stringify(entity.data ?? null)).not.toContain(ca.id);
    for (const mutation of [
      `mutation { addConnectionPacks(contractId: "${ca.id}", count: 1, purchasedOn: "2026-06-01") { id } }`,
      `mutation { terminateContract(contractId: "${ca.id}", endMonth: "2026-06", expectedFeeYen: 0) { id } }`,
    ]) {
      expect((await t.gql(adminB, mutation)).errors[0].extensions.code).toBe('FORBIDDEN');
    }
    const operator = await t.sign({ tenantId: b, roles: ['operator'] });
    expect((await t.gql(operator, '{ contract { id } }')).errors[0].extensions.code).toBe('FORBIDDEN');
    const bo = await backOffice();
    const viaEntity = await t.gql(
      bo,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant { contract { id } } } }`,
      { r: [{ __typename: 'Tenant', id: a }] },
    );
    expect(viaEntity.data._entities[0].contract.id).toBe(ca.id);
    // Sales read any tenant's contract too (the tenants list shows it), directly and through the entity.
    const sales = await t.sign({ tenantId: randomUUID(), roles: ['sales'] });
    expect((await t.gql(sales, `query($a: ID!) { contract(tenantId: $a) { id } }`, { a })).data.contract.id).toBe(
      ca.id,
    );
    const salesEntity = await t.gql(
      sales,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant { contract { id } } } }`,
      { r: [{ __typename: 'Tenant', id: a }] },
    );
    expect(salesEntity.errors).toBeUndefined();
    expect(salesEntity.data._entities[0].contract.id).toBe(ca.id);
  });
});

describe('contract history', () => {
  const HISTORY = `query($t: ID, $s: ContractStatus) { contracts(tenantId: $t, status: $s) {
    id tenantId status serviceStartDate endMonth terminationFeeYen planVersion { version plan { code } } } }`;
  type Row = { id: string; tenantId: string; status: string; serviceStartDate: string; endMonth: string | null };
  const ids = (rows: Row[]) => rows.map((c) => c.id);

  /** Ends a contract at endMonth for the fee its preview gives. */
  async function terminate(contractId: string, endMonth: string) {
    const bo = await backOffice();
    const preview = await t.gql(
      bo,
      `query($id: ID!, $m: String!) { previewTermination(contractId: $id, endMonth: $m) { feeYen } }`,
      { id: contractId, m: endMonth },
    );
    const done = await t.gql(
      bo,
      `mutation($id: ID!, $m: String!, $fee: Int!) { terminateContract(contractId: $id, endMonth: $m, expectedFeeYen: $fee) { id } }`,
      { id: contractId, m: endMonth, fee: preview.data.previewTermination.feeYen },
    );
    expect(done.errors).toBeUndefined();
    return preview.data.previewTermination.feeYen as number;
  }

  it('lists a terminated contract and its successors, newest first (service start, then creation)', async () => {
    const tenantId = randomUUID();
    const first = await createContract(tenantId, 'INTEGRATION', '2026-04-01', 0);
    // Term May 2026–April 2027; ending in November leaves 5 × 5,000 yen.
    expect(await terminate(first.id, '2026-11')).toBe(25_000);
    const second = await createContract(tenantId, 'CLOUD', '2026-12-01', 0);
    // Ended in its first month, then signed again from the same date: the later one comes first.
    const secondFee = await terminate(second.id, '2026-12');
    const third = await createContract(tenantId, 'CLOUD', '2026-12-01', 1);

    const expected = [
      {
        id: third.id,
        tenantId,
        status: 'ACTIVE',
        serviceStartDate: '2026-12-01',
        endMonth: null,
        terminationFeeYen: null,
      },
      {
        id: second.id,
        tenantId,
        status: 'TERMINATED',
        serviceStartDate: '2026-12-01',
        endMonth: '2026-12',
        terminationFeeYen: secondFee,
      },
      {
        id: first.id,
        tenantId,
        status: 'TERMINATED',
        serviceStartDate: '2026-04-01',
        endMonth: '2026-11',
        terminationFeeYen: 25_000,
        planVersion: { version: 1, plan: { code: 'INTEGRATION' } },
      },
    ];
    for (const token of [
      await backOffice(),
      await t.sign({ tenantId: randomUUID(), roles: ['sales'] }),
      await t.sign({ tenantId: randomUUID(), roles: ['platform-admin'] }),
    ]) {
      const res = await t.gql(token, HISTORY, { t: tenantId });
      expect(res.errors).toBeUndefined();
      expect(res.data.contracts).toMatchObject(expected);
      expect(res.data.contracts).toHaveLength(3);
    }
    // The tenant's own administrator sees the same history, with or without naming its tenant.
    const admin = await t.sign({ tenantId, roles: ['tenant-admin'] });
    expect(ids((await t.gql(admin, HISTORY)).data.contracts)).toEqual([third.id, second.id, first.id]);
    expect(ids((await t.gql(admin, HISTORY, { t: tenantId })).data.contracts)).toEqual([third.id, second.id, first.id]);
    // `contract` still answers the current one.
    expect((await t.gql(admin, '{ contract { id } }')).data.contract.id).toBe(third.id);
  });

  it('keeps tenants apart: a tenant admin never sees another tenant’s contracts, even naming it', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const ca = await createContract(a);
    const cb = await createContract(b);
    const adminB = await t.sign({ tenantId: b, roles: ['tenant-admin'] });

    expect(ids((await t.gql(adminB, HISTORY)).data.contracts)).toEqual([cb.id]);
    for (const variables of [{ t: a }, { t: a, s: 'ACTIVE' }]) {
      const other = await t.gql(adminB, HISTORY, variables);
      expect(other.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(JSON.stringify(other.data ?? null)).not.toContain(ca.id);
    }
    // Operators are refused, their own tenant's history included.
    const operator = await t.sign({ tenantId: b, roles: ['operator'] });
    for (const variables of [{}, { t: b }]) {
      const refused = await t.gql(operator, HISTORY, variables);
      expect(refused.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(refused.data).toBeNull();
    }
    // Back office without a tenant sees every tenant's.
    const all: Row[] = (await t.gql(await backOffice(), HISTORY)).data.contracts;
    expect(ids(all)).toEqual(expect.arrayContaining([ca.id, cb.id]));
    expect(new Set(all.map((c) => c.tenantId)).size).toBeGreaterThan(1);
    const bad = await t.gql(await backOffice(), HISTORY, { t: 'not-a-tenant' });
    expect(bad.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('filters by status, for one tenant or across tenants', async () => {
    const tenantId = randomUUID();
    const old = await createContract(tenantId, 'INTEGRATION', '2026-05-01', 0);
    await terminate(old.id, '2026-08');
    // An older contract keyed in afterwards: the service start orders the history, not the creation.
    const keyedLate = await createContract(tenantId, 'INTEGRATION', '2026-01-01', 0);
    await terminate(keyedLate.id, '2026-04');
    const current = await createContract(tenantId, 'CLOUD', '2026-09-01', 0);
    const bo = await backOffice();
    const of = async (variables: Record<string, unknown>) => (await t.gql(bo, HISTORY, variables)).data.contracts;

    expect(ids(await of({ t: tenantId, s: 'TERMINATED' }))).toEqual([old.id, keyedLate.id]);
    expect(ids(await of({ t: tenantId, s: 'ACTIVE' }))).toEqual([current.id]);
    expect(ids(await of({ t: tenantId }))).toEqual([current.id, old.id, keyedLate.id]);
    const terminated: Row[] = await of({ s: 'TERMINATED' });
    expect(ids(terminated)).toEqual(expect.arrayContaining([old.id, keyedLate.id]));
    expect(ids(terminated)).not.toContain(current.id);
    expect(terminated.every((c) => c.status === 'TERMINATED')).toBe(true);
    // Newest first across tenants too.
    const starts = terminated.map((c) => c.serviceStartDate);
    expect(starts).toEqual([...starts].sort().reverse());
    const admin = await t.sign({ tenantId, roles: ['tenant-admin'] });
    expect(ids((await t.gql(admin, HISTORY, { s: 'ACTIVE' })).data.contracts)).toEqual([current.id]);
  });
});

describe('business calendar', () => {
  it('a tenant admin reads and edits its own calendar; another tenant cannot', async () => {
    const a = randomUUID();
    const adminA = await t.sign({ tenantId: a, roles: ['tenant-admin'] });
    const initial = await t.gql(
      adminA,
      '{ businessCalendar { timezone nationalHolidays hours { weekday opensAt closesAt } } }',
    );
    expect(initial.data.businessCalendar.hours[1]).toEqual({ weekday: 1, opensAt: '09:00', closesAt: '18:00' });
    expect(initial.data.businessCalendar.hours[0]).toEqual({ weekday: 0, opensAt: null, closesAt: null });
    const input = {
      timezone: 'Asia/Tokyo',
      nationalHolidays: false,
      closures: ['2026-12-31', '2026-12-30'],
      hours: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opensAt: '10:00', closesAt: '19:30' })),
    };
    const updated = await t.gql(
      adminA,
      'mutation($i: BusinessCalendarInput!) { updateBusinessCalendar(input: $i) { closures nationalHolidays hours { opensAt } } }',
      { i: input },
    );
    expect(updated.data.updateBusinessCalendar).toMatchObject({
      closures: ['2026-12-30', '2026-12-31'],
      nationalHolidays: false,
    });
    expect(updated.data.updateBusinessCalendar.hours.map((h: any) => h.opensAt)).toEqual([
      null,
      '10:00',
      '10:00',
      '10:00',
      '10:00',
      '10:00',
      '10:00',
    ]);
    const bad = await t.gql(
      adminA,
      'mutation($i: BusinessCalendarInput!) { updateBusinessCalendar(input: $i) { timezone } }',
      { i: { ...input, timezone: 'Mars/Olympus' } },
    );
    expect(bad.errors[0].extensions.code).toBe('BAD_USER_INPUT');

    const adminB = await t.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    const read = await t.gql(adminB, 'query($a: ID) { businessCalendar(tenantId: $a) { timezone } }', { a });
    expect(read.errors[0].extensions.code).toBe('FORBIDDEN');
    const write = await t.gql(
      adminB,
      'mutation($i: BusinessCalendarInput!, $a: ID) { updateBusinessCalendar(input: $i, tenantId: $a) { timezone } }',
      { i: { ...input, closures: [] }, a },
    );
    expect(write.errors[0].extensions.code).toBe('FORBIDDEN');
    const [row] = await t.db.query('SELECT closures FROM business_calendars WHERE tenant_id = $1', [a]);
    expect(row.closures).toEqual(['2026-12-30', '2026-12-31']);
  });

  it('seeds the demo tenant with a Cloud contract and a Mon–Fri 9–18 calendar', async () => {
    const admin = await t.sign({ tenantId: demo.tenantId, roles: ['tenant-admin'] });
    const res = await t.gql(
      admin,
      '{ contract { planVersion { plan { code } } } businessCalendar { nationalHolidays hours { opensAt } } }',
    );
    expect(res.data.contract.planVersion.plan.code).toBe('CLOUD');
    expect(res.data.businessCalendar.nationalHolidays).toBe(true);
    expect(res.data.businessCalendar.hours.map((h: any) => h.opensAt)).toEqual([
      null,
      '09:00',
      '09:00',
      '09:00',
      '09:00',
      '09:00',
      null,
    ]);
  });
});

describe('plan changes', () => {
  it('moves a contract to a newer plan version from a month not yet begun; rating and invoices follow', async () => {
    const plans = t.app.get(PlansService);
    const contracts = t.app.get(ContractsService);
    const code = `MOVE_${randomUUID().slice(0, 8).toUpperCase()}`;
    const terms = { ...cloudPlan.terms, effectiveFrom: '2026-01-01' };
    const plan = await plans.create(code, '移行テスト', terms);
    const v2 = await plans.addVersion(plan.id, {
      ...terms,
      effectiveFrom: '2027-02-01',
      maintenanceYen: 12_000,
      popupPrices: { ...terms.popupPrices, CUSTOMER: 40 },
    });
    const [v1] = await plans.versions(plan.id);
    const tenantId = randomUUID();
    const contract = await createContract(tenantId, code, '2026-04-15', 0);
    const sales = await t.sign({ tenantId: randomUUID(), roles: ['sales'] });
    const move = (token: string, effectiveFrom: string, planVersionId = v2.id) =>
      t.gql(
        token,
        `mutation($c: ID!, $v: ID!, $e: String!) { movePlanVersion(contractId: $c, planVersionId: $v, effectiveFrom: $e) { id } }`,
        { c: contract.id, v: planVersionId, e: effectiveFrom },
      );
    expect((await move(sales, '2027-02-15')).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const admin = await t.sign({ tenantId, roles: ['tenant-admin'] });
    expect((await move(admin, '2027-02-01')).errors[0].extensions.code).toBe('FORBIDDEN');

    // 10 January 2027 in Tokyo: January has begun, February has not.
    const now = new Date('2027-01-10T03:00:00Z');
    const refused = (p: Promise<unknown>) =>
      p.then(
        () => 'moved',
        (err: { code?: string }) => err.code,
      );
    expect(await refused(contracts.movePlanVersion(null, contract.id, v2.id, '2027-01-01', now))).toBe(
      'PLAN_CHANGE_TOO_LATE',
    );
    expect(await refused(contracts.movePlanVersion(null, contract.id, v1?.id ?? '', '2027-02-01', now))).toBe(
      'PLAN_VERSION_NOT_NEWER',
    );
    await contracts.movePlanVersion(null, contract.id, v2.id, '2027-02-01', now);
    expect(await refused(contracts.movePlanVersion(null, contract.id, v2.id, '2027-02-01', now))).toBe(
      'PLAN_CHANGE_NOT_LATER',
    );
    const read = await t.gql(
      admin,
      `{ contract { planVersion { version } planChanges { effectiveFrom planVersion { version maintenanceYen } } } }`,
    );
    expect(read.data.contract).toEqual({
      planVersion: { version: 1 },
      planChanges: [{ effectiveFrom: '2027-02-01', planVersion: { version: 2, maintenanceYen: 12_000 } }],
    });

    // Friday 15 January on version 1 (30 + 5 yen), Monday 15 February on version 2 (40 + 5 yen).
    const rating = t.app.get(RatingService);
    const popup = (callId: string, rangAt: string) =>
      popupSchema.parse({
        id: randomUUID(),
        type: 'customers.popup',
        tenantId,
        occurredAt: rangAt,
        payload: {
          popupId: randomUUID(),
          callId,
          class: 'CUSTOMER',
          caller: {
            raw: '0312345678',
            e164: '+81312345678',
            display: '03-1234-5678',
            valid: true,
            withheldReason: null,
          },
          lineLabel: null,
          rangAt,
          customer: null,
          candidates: [],
          purchases: [],
          purchaseTotals: null,
          interactions: [],
          notesAllowed: true,
        },
      });
    await t.db.transaction((m) =>
      rating.ratePopups([popup('jan', '2027-01-15T10:00:00+09:00'), popup('feb', '2027-02-15T10:00:00+09:00')], m),
    );
    expect(
      await t.db.query(`SELECT call_id, amount_yen FROM rated_calls WHERE tenant_id = $1 ORDER BY rang_at`, [tenantId]),
    ).toEqual([
      { call_id: 'jan', amount_yen: 35 },
      { call_id: 'feb', amount_yen: 45 },
    ]);
    const invoicing = t.app.get(InvoicingService);
    const maintenance = async (month: string) =>
      (await invoicing.closeMonth(tenantId, month, new Date('2027-03-05T00:00:00Z'))).lines.find(
        (l) => l.kind === 'MAINTENANCE',
      )?.amountYen;
    expect(await maintenance('2027-01')).toBe(10_000);
    expect(await maintenance('2027-02')).toBe(12_000);
  });
});

describe('termination and usage after the end month', () => {
  it('refuses an end month before calls that were billed while the contract was in force', async () => {
    const tenantId = randomUUID();
    const contract = await createContract(tenantId, 'CLOUD', '2026-02-01', 0);
    // A customer call on Monday 11 May 2026 at 10:00, rated while the contract was in force: 30 yen.
    const rangAt = '2026-05-11T10:00:00+09:00';
    const popup = popupSchema.parse({
      id: randomUUID(),
      type: 'customers.popup',
      tenantId,
      occurredAt: rangAt,
      payload: {
        popupId: randomUUID(),
        callId: 'may-call',
        class: 'CUSTOMER',
        caller: { raw: '0312345678', e164: '+81312345678', display: '03-1234-5678', valid: true, withheldReason: null },
        lineLabel: null,
        rangAt,
        customer: null,
        candidates: [],
        purchases: [],
        purchaseTotals: null,
        interactions: [],
        notesAllowed: true,
      },
    });
    await t.db.transaction((m) => t.app.get(RatingService).ratePopups([popup], m));
    const bo = await backOffice();
    const terminate = async (endMonth: string) => {
      const preview = await t.gql(
        bo,
        'query($id: ID!, $m: String!) { previewTermination(contractId: $id, endMonth: $m) { feeYen } }',
        { id: contract.id, m: endMonth },
      );
      return t.gql(
        bo,
        'mutation($id: ID!, $m: String!, $fee: Int!) { terminateContract(contractId: $id, endMonth: $m, expectedFeeYen: $fee) { endMonth } }',
        { id: contract.id, m: endMonth, fee: preview.data.previewTermination.feeYen },
      );
    };
    // Ending in April would leave May's call on no invoice (and May's close stuck).
    const refused = await terminate('2026-04');
    expect(refused.errors?.[0].extensions.code).toBe('END_MONTH_BEFORE_USAGE');
    expect(refused.errors?.[0].message).toContain('2026年5月');
    // Ending in May keeps it: it is billed on May's invoice with the termination fee.
    const done = await terminate('2026-05');
    expect(done.errors).toBeUndefined();
    expect(done.data.terminateContract.endMonth).toBe('2026-05');
  });
});
