import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support';

let t: TestApp;

const CREATE = `mutation ($name: String!, $email: String!, $admin: String!, $tz: String) {
  createTenant(name: $name, adminEmail: $email, adminName: $admin, timezone: $tz) {
    tenant { id name timezone } adminInvitation { email roles token } } }`;
const TENANTS = '{ tenants { id name timezone } }';
const ACCEPT =
  'mutation ($token: String!) { acceptInvitation(token: $token, password: "a long enough password") { user { roles tenant { id } } } }';
const codeOf = (r: { errors?: { extensions: { code: string } }[] }) => r.errors?.[0]?.extensions.code;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('tenants (back office)', () => {
  it('creates a tenant with its first admin’s invitation, and lists customer tenants', async () => {
    const backOffice = await t.sign({ tenantId: randomUUID(), roles: ['back-office'] });
    const email = `${randomUUID()}@shop.example.jp`;
    const created = (await t.gql(backOffice, CREATE, { name: '山田商店', email, admin: '山田 太郎', tz: 'Asia/Tokyo' }))
      .data.createTenant;
    expect(created).toMatchObject({
      tenant: { name: '山田商店', timezone: 'Asia/Tokyo' },
      adminInvitation: { email, roles: ['TENANT_ADMIN', 'OPERATOR'], token: expect.any(String) },
    });
    const accepted = (await t.gql(undefined, ACCEPT, { token: created.adminInvitation.token })).data.acceptInvitation;
    expect(accepted.user).toEqual({ roles: ['TENANT_ADMIN', 'OPERATOR'], tenant: { id: created.tenant.id } });

    const sales = await t.sign({ tenantId: randomUUID(), roles: ['sales'] });
    expect((await t.gql(sales, TENANTS)).data.tenants.map((x: { id: string }) => x.id)).toContain(created.tenant.id);
  });

  it('refuses customers’ users, sales for creation, bad input, and writes nothing half', async () => {
    const tenantAdmin = await t.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    const vars = { name: 'X', email: `${randomUUID()}@example.jp`, admin: 'X' };
    expect(codeOf(await t.gql(tenantAdmin, CREATE, vars))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(tenantAdmin, TENANTS))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(await t.sign({ tenantId: randomUUID() }), TENANTS))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(await t.sign({ tenantId: randomUUID(), roles: ['sales'] }), CREATE, vars))).toBe(
      'FORBIDDEN',
    );

    const backOffice = await t.sign({ tenantId: randomUUID(), roles: ['back-office'] });
    const before = (await t.db.query('SELECT count(*)::int AS n FROM tenants'))[0].n;
    expect(codeOf(await t.gql(backOffice, CREATE, { ...vars, tz: 'Mars/Olympus' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(backOffice, CREATE, { ...vars, email: 'not an address' }))).toBe('BAD_USER_INPUT');
    const first = await t.gql(backOffice, CREATE, vars);
    expect(first.data.createTenant.tenant.timezone).toBe('Asia/Tokyo');
    // Same admin address again: the invitation fails, so the tenant is not created either.
    expect(codeOf(await t.gql(backOffice, CREATE, vars))).toBe('INVITATION_PENDING');
    expect((await t.db.query('SELECT count(*)::int AS n FROM tenants'))[0].n).toBe(before + 1);
  });
});
