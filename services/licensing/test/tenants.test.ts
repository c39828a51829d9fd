import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailbox } from './mailbox';
import { startTestApp, type TestApp } from './support';

let t: TestApp;
let mailbox: Awaited<ReturnType<typeof startMailbox>>;

const CREATE = `mutation ($name: String!, $email: String!, $admin: String!, $tz: String) {
  createTenant(name: $name, adminEmail: $email, adminName: $admin, timezone: $tz) {
    tenant { id name timezone } adminInvitation { id email roles expiresAt } } }`;
const TENANTS = '{ tenants { id name timezone } }';
const ACCEPT =
  'mutation ($token: String!) { acceptInvitation(token: $token, password: "a long enough password") { user { roles tenant { id } } } }';
const codeOf = (r: { errors?: { extensions: { code: string } }[] }) => r.errors?.[0]?.extensions.code;

beforeAll(async () => {
  mailbox = await startMailbox();
  process.env.SMTP_URL = mailbox.url;
  process.env.PUBLIC_APP_URL = 'https://app.example.jp';
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
  await mailbox?.close();
  delete process.env.SMTP_URL;
  delete process.env.PUBLIC_APP_URL;
});

describe('tenants (back office)', () => {
  it('creates a tenant with its first admin’s invitation, and lists customer tenants', async () => {
    const backOffice = await t.sign({ tenantId: randomUUID(), roles: ['back-office'] });
    const email = `${randomUUID()}@shop.example.jp`;
    const created = (await t.gql(backOffice, CREATE, { name: '山田商店', email, admin: '山田 太郎', tz: 'Asia/Tokyo' }))
      .data.createTenant;
    expect(created).toMatchObject({
      tenant: { name: '山田商店', timezone: 'Asia/Tokyo' },
      adminInvitation: { email, roles: ['TENANT_ADMIN', 'OPERATOR'] },
    });
    // The back office never holds the token: it is mailed to the admin's address, in Japanese.
    expect(JSON.stringify(created)).not.toMatch(/token/i);
    const mail = await mailbox.waitFor(email);
    expect(mail.subject).toBe('【Thankstar】山田商店への招待');
    expect(mail.text).toContain('https://app.example.jp/#/accept-invitation?token=');
    const token = mailbox.tokenIn(mail, 'accept-invitation');
    expect(JSON.stringify(created)).not.toContain(token);
    const accepted = (await t.gql(undefined, ACCEPT, { token })).data.acceptInvitation;
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
    // An address that is already a user's: the invitation fails, so the tenant is not created either.
    const accepted = (
      await t.gql(undefined, ACCEPT, { token: mailbox.tokenIn(await mailbox.waitFor(vars.email), 'accept-invitation') })
    ).data.acceptInvitation;
    expect(accepted.user.tenant.id).toBe(first.data.createTenant.tenant.id);
    expect(codeOf(await t.gql(backOffice, CREATE, { ...vars, name: 'Y' }))).toBe('EMAIL_TAKEN');
    expect((await t.db.query('SELECT count(*)::int AS n FROM tenants'))[0].n).toBe(before + 1);
  });

  it('lets an open invitation reserve nothing: a new tenant for the same address is created until one is accepted', async () => {
    const backOffice = await t.sign({ tenantId: randomUUID(), roles: ['back-office'] });
    const email = `${randomUUID()}@victim.example.jp`;
    // Someone invites the address first (here another tenant's admin, through createTenant's path).
    const squatter = (await t.gql(backOffice, CREATE, { name: '先取り', email, admin: '先取り' })).data.createTenant;
    const squatterMail = await mailbox.waitFor(email);
    const since = mailbox.mails.length;
    // The address's real owner still gets their tenant: the open invitation did not take the address.
    const owner = (await t.gql(backOffice, CREATE, { name: '本物商店', email, admin: '本物 花子' })).data.createTenant;
    expect(owner.tenant.name).toBe('本物商店');
    const ownerMail = await mailbox.waitFor(email, since);
    expect(ownerMail.subject).toBe('【Thankstar】本物商店への招待');
    const accepted = (await t.gql(undefined, ACCEPT, { token: mailbox.tokenIn(ownerMail, 'accept-invitation') })).data
      .acceptInvitation;
    expect(accepted.user.tenant.id).toBe(owner.tenant.id);
    // Only now is the address taken: the other invitation and new ones are refused.
    expect(codeOf(await t.gql(undefined, ACCEPT, { token: mailbox.tokenIn(squatterMail, 'accept-invitation') }))).toBe(
      'EMAIL_TAKEN',
    );
    expect(squatter.tenant.id).not.toBe(owner.tenant.id);
    expect(codeOf(await t.gql(backOffice, CREATE, { name: '三番目', email, admin: '三番目' }))).toBe('EMAIL_TAKEN');
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
    expect(anonymous.errors?.[0]?.message).toContain('アクセストークン');
    const backOffice = await t.sign({ tenantId: randomUUID(), roles: ['back-office'] });
    expect((await t.gql(backOffice, ENTITIES, { reps: [{ __typename: 'Tenant', id: a }] })).data._entities).toEqual([
      { id: a, name: 'A' },
    ]);
  });
});
