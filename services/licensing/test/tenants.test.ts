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

describe('federation entities', () => {
  const ENTITIES = `query ($reps: [_Any!]!) { _entities(representations: $reps) {
    ... on User { id email } ... on Tenant { id name } } }`;

  it('resolves a user or tenant of another tenant to nothing', async () => {
    const a = randomUUID();
    const userA = randomUUID();
    await t.db.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [a, 'A']);
    await t.db.query(
      `INSERT INTO users (id, tenant_id, email, name, password_hash, roles) VALUES ($1, $2, $3, 'A', 'x', '{operator}')`,
      [userA, a, `${userA}@example.jp`],
    );
    const ownToken = await t.sign({ tenantId: a });
    const own = await t.gql(ownToken, ENTITIES, {
      reps: [
        { __typename: 'User', id: userA },
        { __typename: 'Tenant', id: a },
      ],
    });
    expect(own.data._entities).toEqual([
      { id: userA, email: `${userA}@example.jp` },
      { id: a, name: 'A' },
    ]);

    const otherToken = await t.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    const users = await t.gql(otherToken, ENTITIES, { reps: [{ __typename: 'User', id: userA }] });
    expect(users.data._entities).toEqual([null]);
    const tenants = await t.gql(otherToken, ENTITIES, { reps: [{ __typename: 'Tenant', id: a }] });
    expect(tenants.data._entities).toEqual([null]);
    const anonymous = await t.gql(undefined, ENTITIES, { reps: [{ __typename: 'User', id: userA }] });
    expect(anonymous.data._entities).toEqual([null]);
    expect(anonymous.errors?.[0]?.message).toContain('access token');
    const backOffice = await t.sign({ tenantId: randomUUID(), roles: ['back-office'] });
    expect((await t.gql(backOffice, ENTITIES, { reps: [{ __typename: 'Tenant', id: a }] })).data._entities).toEqual([
      { id: a, name: 'A' },
    ]);
  });
});
