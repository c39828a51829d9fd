import { randomUUID } from 'node:crypto';
import { AuditWriter } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, gql, type Harness, ok, startHarness } from './support';

/** customers' changes in its audit log (docs/decisions/0011-audit-log.md). */
const AUDIT = `query($filter: AuditLogFilter) {
  customersAuditLog(filter: $filter) {
    entries { service tenantId actorId actorName operation targets outcome arguments }
  }
}`;
const CREATE = 'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }';

interface Entry {
  service: string;
  tenantId: string;
  actorId: string;
  actorName: string;
  operation: string;
  targets: string[];
  outcome: string;
  arguments: string | null;
}

describe('customers audit log', () => {
  let h: Harness;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const adminAId = randomUUID();
  let adminA: string;
  let adminB: string;

  beforeAll(async () => {
    h = await startHarness();
    adminA = await h.sign({ tenantId: tenantA, userId: adminAId, roles: ['tenant-admin'], name: '顧客 管理者' });
    adminB = await h.sign({ tenantId: tenantB, roles: ['tenant-admin'] });
  });

  afterAll(async () => {
    await h?.close();
  });

  async function entries(token: string, filter: Record<string, unknown> = {}): Promise<Entry[]> {
    await h.app.get(AuditWriter).drain();
    const data = await ok<{ customersAuditLog: { entries: Entry[] } }>(h, token, AUDIT, { filter });
    return data.customersAuditLog.entries;
  }

  it('records a created customer by id, without the personal data it was given', async () => {
    const created = await ok<{ createCustomer: { id: string } }>(h, adminA, CREATE, {
      input: {
        name: '監査 一郎',
        nameKana: 'カンサ イチロウ',
        phones: [{ number: '090-4321-8765' }],
        emails: ['ichiro@example.jp'],
        notes: '夜間の連絡不可',
        tags: ['VIP'],
      },
    });
    const [entry, ...rest] = await entries(adminA, { operation: 'createCustomer' });
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      service: 'customers',
      tenantId: tenantA,
      actorId: adminAId,
      actorName: '顧客 管理者',
      operation: 'Mutation.createCustomer',
      targets: [created.createCustomer.id],
      outcome: 'ok',
    });
    expect(JSON.parse(entry?.arguments ?? 'null')).toMatchObject({ input: { tags: ['VIP'] } });
    const raw = JSON.stringify(await h.app.get(DataSource).query('SELECT audit_log::text AS row FROM audit_log'));
    for (const personal of ['監査', 'カンサ', '4321', 'ichiro@example.jp', '夜間']) expect(raw).not.toContain(personal);
  });

  it('records a failed change with its error code', async () => {
    const missing = randomUUID();
    const code = await errorCode(h, adminA, 'mutation($id: ID!) { removeNuisanceNumber(id: $id) }', { id: missing });
    const found = await entries(adminA, { operation: 'removeNuisanceNumber' });
    expect(found.map((e) => [e.targets, e.outcome])).toEqual([[[missing], code]]);
  });

  it("never shows one tenant's entries to another tenant's admin", async () => {
    await ok(h, adminB, CREATE, { input: { name: 'B社の顧客' } });
    const forB = await entries(adminB, { tenantId: tenantA });
    expect(forB.length).toBe(1);
    expect(forB.every((e) => e.tenantId === tenantB)).toBe(true);
    const forA = await entries(adminA);
    expect(forA.some((e) => e.tenantId === tenantB)).toBe(false);
    // An operator cannot read the log.
    const operator = await h.sign({ tenantId: tenantA, roles: ['operator'] });
    expect((await gql(h, operator, AUDIT)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
