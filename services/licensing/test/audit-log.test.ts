import { randomUUID } from 'node:crypto';
import { AuditWriter } from '@thankstar/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/identity/password';
import { startTestApp, type TestApp } from './support';

/** licensing's changes in its audit log (docs/decisions/0011-audit-log.md). */
const AUDIT = `query($filter: AuditLogFilter) {
  licensingAuditLog(filter: $filter) {
    entries { service tenantId actorId actorName operation targets outcome arguments }
  }
}`;
const INVITE = `mutation ($email: String!, $name: String!, $roles: [Role!]!) {
  inviteUser(email: $email, name: $name, roles: $roles) { id } }`;

interface Entry {
  service: string;
  tenantId: string;
  actorId: string | null;
  actorName: string | null;
  operation: string;
  targets: string[];
  outcome: string;
  arguments: string | null;
}

describe('licensing audit log', () => {
  let t: TestApp;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const adminAId = randomUUID();
  let adminA: string;
  let adminB: string;

  beforeAll(async () => {
    t = await startTestApp();
    for (const id of [tenantA, tenantB]) {
      await t.db.query('INSERT INTO tenants (id, name, is_provider) VALUES ($1, $2, false)', [
        id,
        `t ${id.slice(0, 8)}`,
      ]);
    }
    await t.db.query(
      'INSERT INTO users (id, tenant_id, email, name, password_hash, roles) VALUES ($1, $2, $3, $4, $5, $6)',
      [
        adminAId,
        tenantA,
        `${adminAId}@example.jp`,
        '利用 管理者',
        await hashPassword('a long enough password'),
        ['tenant-admin'],
      ],
    );
    adminA = await t.sign({ tenantId: tenantA, userId: adminAId, roles: ['tenant-admin'], name: '利用 管理者' });
    adminB = await t.sign({ tenantId: tenantB, roles: ['tenant-admin'] });
  });

  afterAll(async () => {
    await t?.close();
  });

  async function entries(token: string, filter: Record<string, unknown> = {}): Promise<Entry[]> {
    await t.app.get(AuditWriter).drain();
    const res = await t.gql(token, AUDIT, { filter });
    expect(res.errors).toBeUndefined();
    return res.data.licensingAuditLog.entries;
  }

  it('records an invitation by id, without the invitee name or address, and never a sign-in', async () => {
    const email = `new-${randomUUID()}@example.jp`;
    const invited = await t.gql(adminA, INVITE, { email, name: '招待 次郎', roles: ['OPERATOR'] });
    expect(invited.errors).toBeUndefined();
    const login = await t.gql(
      undefined,
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
      { e: `${adminAId}@example.jp`, p: 'a long enough password' },
    );
    expect(login.errors).toBeUndefined();

    const found = await entries(adminA);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      service: 'licensing',
      tenantId: tenantA,
      actorId: adminAId,
      actorName: '利用 管理者',
      operation: 'Mutation.inviteUser',
      targets: [invited.data.inviteUser.id],
      outcome: 'ok',
    });
    expect(JSON.parse(found[0]?.arguments ?? 'null')).toEqual({
      email: '[redacted]',
      name: '[redacted]',
      roles: ['OPERATOR'],
    });
    const raw = JSON.stringify(await t.db.query('SELECT audit_log::text AS row FROM audit_log'));
    for (const secret of [email, '招待', 'a long enough password']) expect(raw).not.toContain(secret);
  });

  it('records a refused change with its code', async () => {
    const missing = randomUUID();
    const res = await t.gql(adminA, 'mutation($id: ID!) { disableUser(userId: $id) { id } }', { id: missing });
    const code = res.errors?.[0]?.extensions?.code;
    expect(code).toBeTruthy();
    const found = await entries(adminA, { operation: 'disableUser' });
    expect(found.map((e) => [e.targets, e.outcome])).toEqual([[[missing], code]]);
  });

  it("never shows tenant A's entries to tenant B's admin", async () => {
    expect(await entries(adminB)).toEqual([]);
    expect(await entries(adminB, { tenantId: tenantA })).toEqual([]);
  });
});
