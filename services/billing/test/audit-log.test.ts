import { randomUUID } from 'node:crypto';
import { AuditWriter } from '@thankstar/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support';

/** billing's changes in its audit log (docs/decisions/0011-audit-log.md). */
const AUDIT = `query($filter: AuditLogFilter) {
  billingAuditLog(filter: $filter) {
    entries { service tenantId actorId actorName actorRoles operation targets outcome arguments }
  }
}`;
const CALENDAR =
  'mutation($i: BusinessCalendarInput!) { updateBusinessCalendar(input: $i) { closures nationalHolidays } }';

interface Entry {
  service: string;
  tenantId: string;
  actorId: string;
  actorName: string;
  actorRoles: string[];
  operation: string;
  targets: string[];
  outcome: string;
  arguments: string | null;
}

describe('billing audit log', () => {
  let t: TestApp;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const adminAId = randomUUID();
  const officeId = randomUUID();
  let adminA: string;
  let adminB: string;
  let office: string;

  beforeAll(async () => {
    t = await startTestApp();
    adminA = await t.sign({ tenantId: tenantA, userId: adminAId, roles: ['tenant-admin'], name: '請求 管理者' });
    adminB = await t.sign({ tenantId: tenantB, roles: ['tenant-admin'] });
    office = await t.sign({ tenantId: randomUUID(), userId: officeId, roles: ['back-office'], name: '経理 担当' });
  });

  afterAll(async () => {
    await t?.close();
  });

  async function entries(token: string, filter: Record<string, unknown> = {}): Promise<Entry[]> {
    await t.app.get(AuditWriter).drain();
    const res = await t.gql(token, AUDIT, { filter });
    expect(res.errors).toBeUndefined();
    return res.data.billingAuditLog.entries;
  }

  it("records a tenant admin's change with its arguments", async () => {
    const input = {
      timezone: 'Asia/Tokyo',
      hours: [{ weekday: 1, opensAt: '09:00', closesAt: '18:00' }],
      nationalHolidays: true,
      closures: ['2026-12-31'],
    };
    const res = await t.gql(adminA, CALENDAR, { i: input });
    expect(res.errors).toBeUndefined();
    const [entry, ...rest] = await entries(adminA, { operation: 'updateBusinessCalendar' });
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      service: 'billing',
      tenantId: tenantA,
      actorId: adminAId,
      actorName: '請求 管理者',
      actorRoles: ['tenant-admin'],
      operation: 'Mutation.updateBusinessCalendar',
      outcome: 'ok',
    });
    expect(JSON.parse(entry?.arguments ?? 'null')).toEqual({ input });
  });

  it("files a provider's failed change under the tenant it named, where that tenant's admin sees it", async () => {
    const res = await t.gql(
      office,
      'mutation($c: ID!) { addConnectionPacks(contractId: $c, count: 1, purchasedOn: "2026-12-01") { id } }',
      { c: randomUUID() },
    );
    const code = res.errors?.[0]?.extensions?.code;
    expect(code).toBeTruthy();
    const named = await t.gql(
      office,
      'mutation($t: ID!) { setKeyedRecords(tenantId: $t, month: "2026-11", records: 3) }',
      {
        t: tenantA,
      },
    );
    const namedOutcome = named.errors?.[0]?.extensions?.code ?? 'ok';
    const forA = await entries(adminA, { operation: 'setKeyedRecords' });
    expect(forA.map((e) => [e.actorId, e.actorName, e.tenantId, e.outcome])).toEqual([
      [officeId, '経理 担当', tenantA, namedOutcome],
    ]);
    const mine = await entries(office, { actor: officeId, operation: 'addConnectionPacks' });
    expect(mine.map((e) => [e.operation, e.outcome])).toEqual([['Mutation.addConnectionPacks', code]]);
    // Back office sees every tenant's entries.
    const all = await entries(office);
    expect(all.some((e) => e.tenantId === tenantA && e.operation === 'Mutation.updateBusinessCalendar')).toBe(true);
  });

  it("never shows tenant A's entries to tenant B's admin", async () => {
    expect(await entries(adminB)).toEqual([]);
    expect(await entries(adminB, { tenantId: tenantA })).toEqual([]);
  });
});
