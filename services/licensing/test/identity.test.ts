import { randomUUID } from 'node:crypto';
import { forwardingSecretFromEnv, signClientAddress } from '@thankstar/platform';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG, type Config } from '../src/config';
import type { LoginLimitVariables } from '../src/identity/login-limit';
import { hashPassword } from '../src/identity/password';
import { startMailbox } from './mailbox';
import { eventually, startTestApp, type TestApp } from './support';

let t: TestApp;
let mailbox: Awaited<ReturnType<typeof startMailbox>>;

const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) {
  accessToken refreshToken expiresAt user { id email roles disabled tenant { id } } } }`;
const REFRESH = 'mutation ($r: String!) { refresh(refreshToken: $r) { accessToken refreshToken } }';
const LOGOUT = 'mutation ($r: String!) { logout(refreshToken: $r) }';
const ME = '{ me { id email name roles } }';
const INVITE = `mutation ($email: String!, $name: String!, $roles: [Role!]!) {
  inviteUser(email: $email, name: $name, roles: $roles) { id email name roles invitedAt expiresAt } }`;
const ACCEPT =
  'mutation ($token: String!, $password: String!) { acceptInvitation(token: $token, password: $password) { accessToken user { email roles } } }';
const RESET_CREATE = 'mutation ($userId: ID!) { createPasswordReset(userId: $userId) { sentTo expiresAt } }';
const INVITATIONS = '{ invitations { id email name roles invitedAt expiresAt } }';
const RESEND = 'mutation ($id: ID!) { resendInvitation(id: $id) { id email expiresAt } }';
const CANCEL = 'mutation ($id: ID!) { cancelInvitation(id: $id) }';
const RESET = 'mutation ($token: String!, $password: String!) { resetPassword(token: $token, password: $password) }';
const DISABLE = 'mutation ($userId: ID!) { disableUser(userId: $userId) { id disabled } }';
const USERS = '{ users { id email } }';

interface Account {
  id: string;
  tenantId: string;
  email: string;
  password: string;
}

async function createTenant(isProvider = false): Promise<string> {
  const id = randomUUID();
  await t.db.query('INSERT INTO tenants (id, name, is_provider) VALUES ($1, $2, $3)', [
    id,
    `tenant ${id.slice(0, 8)}`,
    isProvider,
  ]);
  return id;
}

async function createUser(tenantId: string, roles: string[]): Promise<Account> {
  const account = {
    id: randomUUID(),
    tenantId,
    email: `${randomUUID()}@example.jp`,
    password: 'a long enough password',
  };
  await t.db.query(
    'INSERT INTO users (id, tenant_id, email, name, password_hash, roles) VALUES ($1, $2, $3, $4, $5, $6)',
    [account.id, tenantId, account.email, 'Test User', await hashPassword(account.password), roles],
  );
  return account;
}

const login = (email: string, password: string) => t.gql(undefined, LOGIN, { email, password });
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
const gqlWith = async (headers: Record<string, string>, query: string, variables: object): Promise<any> => {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
};
/** A sign-in as the gateway forwards it for a client at `address`. */
const loginFrom = (address: string, email: string, password: string) =>
  gqlWith(signClientAddress(forwardingSecretFromEnv(), address), LOGIN, { email, password });
const codeOf = (r: { errors?: { extensions: { code: string } }[] }) => r.errors?.[0]?.extensions.code;

let tenantA: string;
let tenantB: string;
let adminA: Account;
let operatorA: Account;
let adminB: Account;

beforeAll(async () => {
  mailbox = await startMailbox();
  process.env.SMTP_URL = mailbox.url;
  process.env.PUBLIC_APP_URL = 'https://app.example.jp';
  t = await startTestApp();
  tenantA = await createTenant();
  tenantB = await createTenant();
  adminA = await createUser(tenantA, ['tenant-admin', 'operator']);
  operatorA = await createUser(tenantA, ['operator']);
  adminB = await createUser(tenantB, ['tenant-admin']);
});
afterAll(async () => {
  await t?.close();
  await mailbox?.close();
  delete process.env.SMTP_URL;
  delete process.env.PUBLIC_APP_URL;
});
/**
 * Sets a sign-in limit of the running app (its CONFIG, which the throttle reads at every attempt);
 * returns the value it had.
 */
function setLimit(name: keyof LoginLimitVariables, value: number): number {
  const config = t.app.get<Config>(CONFIG);
  const before = config[name];
  config[name] = value;
  return before;
}

// Every attempt comes from 127.0.0.1: start each test with a clean window for that address.
beforeEach(async () => {
  await t.db.query('DELETE FROM login_attempts');
});

const tokenOf = async (a: Account) => (await login(a.email, a.password)).data.login.accessToken as string;

// Each sign-in costs a real scrypt (64 MiB, about a second on a busy machine): allow for many.
describe('login and sessions', { timeout: 180_000 }, () => {
  it('signs in with the right password and answers the same for a wrong password or an unknown account', async () => {
    const ok = await login(adminA.email.toUpperCase(), adminA.password);
    expect(ok.data.login).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      user: { id: adminA.id, roles: ['TENANT_ADMIN', 'OPERATOR'], disabled: false, tenant: { id: tenantA } },
    });
    expect((await t.gql(ok.data.login.accessToken, ME)).data.me.id).toBe(adminA.id);

    const wrong = await login(adminA.email, 'not the password');
    const unknown = await login('nobody@example.jp', 'not the password');
    expect(codeOf(wrong)).toBe('INVALID_CREDENTIALS');
    expect(unknown.errors?.[0]).toEqual(wrong.errors?.[0]);
  });

  it('rotates refresh tokens and ends the family when a spent one is reused', async () => {
    const first = (await login(operatorA.email, operatorA.password)).data.login.refreshToken;
    const second = (await t.gql(undefined, REFRESH, { r: first })).data.refresh;
    expect(second.refreshToken).not.toBe(first);
    expect((await t.gql(second.accessToken, ME)).data.me.id).toBe(operatorA.id);

    expect(codeOf(await t.gql(undefined, REFRESH, { r: first }))).toBe('REFRESH_TOKEN_REUSED');
    // The thief's copy and the rightful newest token are both dead now.
    expect(codeOf(await t.gql(undefined, REFRESH, { r: second.refreshToken }))).toBe('INVALID_REFRESH_TOKEN');
    const [stored] = await t.db.query('SELECT count(*)::int AS n FROM refresh_tokens WHERE token_hash = $1', [first]);
    expect(stored.n).toBe(0);
  });

  it('logs out by revoking the session', async () => {
    const { refreshToken } = (await login(operatorA.email, operatorA.password)).data.login;
    expect((await t.gql(undefined, LOGOUT, { r: refreshToken })).data.logout).toBe(true);
    expect(codeOf(await t.gql(undefined, REFRESH, { r: refreshToken }))).toBe('INVALID_REFRESH_TOKEN');
    expect(codeOf(await t.gql(undefined, REFRESH, { r: 'made-up' }))).toBe('INVALID_REFRESH_TOKEN');
  });

  it('throttles one address failing an account, never the owner signing in from another address', async () => {
    // A long first delay makes "still waiting" certain however slow the machine (each attempt is a real scrypt).
    const saved = setLimit('LOGIN_FIRST_DELAY_SECONDS', 600);
    try {
      const ghost = `${randomUUID()}@example.jp`;
      for (let i = 0; i < 5; i++) {
        expect(codeOf(await loginFrom('198.51.100.7', operatorA.email, 'wrong password'))).toBe('INVALID_CREDENTIALS');
        expect(codeOf(await loginFrom('198.51.100.7', ghost, 'wrong password'))).toBe('INVALID_CREDENTIALS');
      }
      // The attacker's address now waits, even with the right password; an unknown account looks the same.
      const real = await loginFrom('198.51.100.7', operatorA.email, operatorA.password);
      const fake = await loginFrom('198.51.100.7', ghost, 'wrong password');
      expect(codeOf(real)).toBe('LOGIN_THROTTLED');
      expect(real.errors?.[0].extensions.details.retryAfterSeconds).toBeGreaterThan(500);
      expect(real.errors?.[0].extensions.details.retryAfterSeconds).toBeLessThanOrEqual(600);
      expect(real.errors?.[0].message).toMatch(/^サインインの失敗が続いたため/);
      expect(codeOf(fake)).toBe('LOGIN_THROTTLED');
      expect(Object.keys(fake.errors?.[0].extensions.details)).toEqual(['retryAfterSeconds']);
      // The owner, at their own address, is not affected; nor is another account from the attacker's.
      expect((await loginFrom('203.0.113.20', operatorA.email, operatorA.password)).data.login.user.id).toBe(
        operatorA.id,
      );
      expect((await loginFrom('198.51.100.7', adminB.email, adminB.password)).data.login.user.id).toBe(adminB.id);
      // A forged address (no valid proof from the gateway) counts against the real peer, not the claimed one.
      const forged = await gqlWith({ 'x-thankstar-client-address': '203.0.113.20' }, LOGIN, {
        email: operatorA.email,
        password: 'wrong password',
      });
      expect(codeOf(forged)).toBe('INVALID_CREDENTIALS');
      const [counted] = await t.db.query(
        "SELECT count(*)::int AS n FROM login_attempts WHERE key = 'address:203.0.113.20'",
      );
      expect(counted.n).toBe(0);
    } finally {
      setLimit('LOGIN_FIRST_DELAY_SECONDS', saved);
    }
  });

  it('slows addresses that failed at an account over its ceiling, never a fresh one', async () => {
    const saved = setLimit('LOGIN_ACCOUNT_CEILING', 3);
    try {
      for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3'])
        expect(codeOf(await loginFrom(address, adminA.email, 'guess'))).toBe('INVALID_CREDENTIALS');
      const again = await loginFrom('192.0.2.1', adminA.email, 'guess');
      expect(codeOf(again)).toBe('LOGIN_THROTTLED');
      expect(again.errors?.[0].extensions.details.retryAfterSeconds).toBeLessThanOrEqual(30);
      expect((await loginFrom('203.0.113.21', adminA.email, adminA.password)).data.login.user.id).toBe(adminA.id);
    } finally {
      setLimit('LOGIN_ACCOUNT_CEILING', saved);
    }
  });

  it('caps an address after its limit of failures across accounts, and successes do not count', async () => {
    // A small limit keeps the test fast (each attempt costs a real scrypt); the rule is the same at 30.
    const saved = setLimit('LOGIN_ATTEMPTS_PER_ADDRESS', 4);
    try {
      for (let i = 0; i < 6; i++) expect((await login(adminB.email, adminB.password)).data.login).toBeDefined();
      for (let i = 0; i < 4; i++)
        expect(codeOf(await login(`${randomUUID()}@example.jp`, 'x'))).toBe('INVALID_CREDENTIALS');
      const capped = await login(adminB.email, adminB.password);
      expect(codeOf(capped)).toBe('LOGIN_THROTTLED');
      expect(capped.errors?.[0].extensions.details.retryAfterSeconds).toBeGreaterThan(800);
      // Another address is not affected by this one's cap.
      expect((await loginFrom('203.0.113.22', adminB.email, adminB.password)).data.login.user.id).toBe(adminB.id);
    } finally {
      setLimit('LOGIN_ATTEMPTS_PER_ADDRESS', saved);
    }
  });
});

describe('invitations', () => {
  it('lets a tenant admin invite into their tenant; the invitee sets a password once', async () => {
    const admin = await tokenOf(adminA);
    const email = `${randomUUID()}@example.jp`;
    const answer = await t.gql(admin, INVITE, { email, name: '田中 美咲', roles: ['OPERATOR'] });
    const invited = answer.data.inviteUser;
    expect(invited).toMatchObject({ email, roles: ['OPERATOR'] });
    // The link goes to the invited mailbox, in Japanese, and nowhere in the inviter's answer.
    const mail = await mailbox.waitFor(email);
    expect(mail.to).toEqual([email]);
    expect(mail.subject).toMatch(/^【Thankstar】.+への招待$/);
    expect(mail.text).toContain('田中 美咲 様');
    expect(mail.text).toContain('https://app.example.jp/#/accept-invitation?token=');
    const token = mailbox.tokenIn(mail, 'accept-invitation');
    expect(JSON.stringify(answer)).not.toContain(token);
    expect(JSON.stringify(answer)).not.toMatch(/token/i);
    const [stored] = await t.db.query('SELECT token_hash, tenant_id FROM invitations WHERE id = $1', [invited.id]);
    expect(stored).toMatchObject({ tenant_id: tenantA });
    expect(stored.token_hash).not.toBe(token);

    expect(codeOf(await t.gql(undefined, ACCEPT, { token, password: 'short' }))).toBe('BAD_USER_INPUT');
    const accepted = await t.gql(undefined, ACCEPT, { token, password: 'ありがとうございます!' });
    expect(accepted.data.acceptInvitation.user).toEqual({ email, roles: ['OPERATOR'] });
    expect(codeOf(await t.gql(undefined, ACCEPT, { token, password: 'another password' }))).toBe('INVALID_INVITATION');
    expect((await login(email, 'ありがとうございます!')).data.login.user.tenant.id).toBe(tenantA);
    expect((await t.gql(admin, USERS)).data.users.map((u: { email: string }) => u.email)).toContain(email);
    expect((await t.gql(await tokenOf(adminB), USERS)).data.users.map((u: { email: string }) => u.email)).not.toContain(
      email,
    );
  });

  it('refuses operators, provider roles in a customer tenant, and taken addresses', async () => {
    const operator = await tokenOf(operatorA);
    expect(codeOf(await t.gql(operator, INVITE, { email: 'x@example.jp', name: 'x', roles: ['OPERATOR'] }))).toBe(
      'FORBIDDEN',
    );
    const admin = await tokenOf(adminA);
    expect(codeOf(await t.gql(admin, INVITE, { email: 'y@example.jp', name: 'y', roles: ['PLATFORM_ADMIN'] }))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await t.gql(admin, INVITE, { email: adminB.email, name: 'B', roles: ['OPERATOR'] }))).toBe(
      'EMAIL_TAKEN',
    );
    expect(codeOf(await t.gql(operator, USERS))).toBe('FORBIDDEN');
  });

  it('lists, resends and cancels open invitations of the admin’s own tenant only', async () => {
    const admin = await tokenOf(adminA);
    const otherAdmin = await tokenOf(adminB);
    const email = `${randomUUID()}@example.jp`;
    const invited = (await t.gql(admin, INVITE, { email, name: '佐藤 健', roles: ['OPERATOR'] })).data.inviteUser;
    const firstToken = mailbox.tokenIn(await mailbox.waitFor(email), 'accept-invitation');

    const listed = (await t.gql(admin, INVITATIONS)).data.invitations;
    expect(listed.find((i: { id: string }) => i.id === invited.id)).toEqual(invited);
    expect(JSON.stringify(listed)).not.toMatch(/token/i);
    // Another tenant's admin neither sees nor touches it; operators cannot list.
    expect((await t.gql(otherAdmin, INVITATIONS)).data.invitations.map((i: { id: string }) => i.id)).not.toContain(
      invited.id,
    );
    expect(codeOf(await t.gql(otherAdmin, RESEND, { id: invited.id }))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(otherAdmin, CANCEL, { id: invited.id }))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(await tokenOf(operatorA), INVITATIONS))).toBe('FORBIDDEN');
    expect(mailbox.mails.filter((m) => m.to.includes(email))).toHaveLength(1);

    // Resending mails a new link; the old one stops working.
    const since = mailbox.mails.length;
    expect((await t.gql(admin, RESEND, { id: invited.id })).data.resendInvitation).toMatchObject({
      id: invited.id,
      email,
    });
    const secondToken = mailbox.tokenIn(await mailbox.waitFor(email, since), 'accept-invitation');
    expect(secondToken).not.toBe(firstToken);
    expect(codeOf(await t.gql(undefined, ACCEPT, { token: firstToken, password: 'a long enough password' }))).toBe(
      'INVALID_INVITATION',
    );

    // Cancelled: gone from the list, its link refused, and it cannot be resent.
    expect((await t.gql(admin, CANCEL, { id: invited.id })).data.cancelInvitation).toBe(true);
    expect((await t.gql(admin, INVITATIONS)).data.invitations.map((i: { id: string }) => i.id)).not.toContain(
      invited.id,
    );
    expect(codeOf(await t.gql(undefined, ACCEPT, { token: secondToken, password: 'a long enough password' }))).toBe(
      'INVALID_INVITATION',
    );
    expect(codeOf(await t.gql(admin, RESEND, { id: invited.id }))).toBe('NOT_FOUND');
    // A malformed id is bad input, refused before any resolver runs (the platform's argument rules).
    expect(codeOf(await t.gql(admin, CANCEL, { id: 'not-an-id' }))).toBe('BAD_USER_INPUT');
  });

  it('lets two tenants invite one address; it is taken only by the first acceptance', async () => {
    const email = `${randomUUID()}@example.jp`;
    await t.gql(await tokenOf(adminA), INVITE, { email, name: 'A', roles: ['OPERATOR'] });
    const fromA = mailbox.tokenIn(await mailbox.waitFor(email), 'accept-invitation');
    const since = mailbox.mails.length;
    // An open invitation elsewhere does not block this one (it used to be INVITATION_PENDING).
    const b = await t.gql(await tokenOf(adminB), INVITE, { email, name: 'B', roles: ['OPERATOR'] });
    expect(b.data.inviteUser.email).toBe(email);
    const fromB = mailbox.tokenIn(await mailbox.waitFor(email, since), 'accept-invitation');
    const accepted = await t.gql(undefined, ACCEPT, { token: fromB, password: 'a long enough password' });
    expect(accepted.data.acceptInvitation.user.email).toBe(email);
    expect(codeOf(await t.gql(undefined, ACCEPT, { token: fromA, password: 'a long enough password' }))).toBe(
      'EMAIL_TAKEN',
    );
    expect(codeOf(await t.gql(await tokenOf(adminA), INVITE, { email, name: 'A', roles: ['OPERATOR'] }))).toBe(
      'EMAIL_TAKEN',
    );
  });
});

describe('password reset and disabling', () => {
  it('resets a password with a one-time token from the tenant’s admin and ends old sessions', async () => {
    const user = await createUser(tenantA, ['operator']);
    const { refreshToken: oldSession, accessToken: oldAccess } = (await login(user.email, user.password)).data.login;
    expect((await t.gql(oldAccess, ME)).data.me.id).toBe(user.id);
    // Tokens carry whole seconds (iat); one issued in the reset's own second stays valid.
    await new Promise((r) => setTimeout(r, 1_100));
    expect(codeOf(await t.gql(await tokenOf(adminB), RESET_CREATE, { userId: user.id }))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(await tokenOf(operatorA), RESET_CREATE, { userId: user.id }))).toBe('FORBIDDEN');

    const since = mailbox.mails.length;
    const answer = await t.gql(await tokenOf(adminA), RESET_CREATE, { userId: user.id });
    expect(answer.data.createPasswordReset).toEqual({ sentTo: user.email, expiresAt: expect.any(String) });
    // The link goes to the user's own mailbox, never to the admin who asked for it.
    const mail = await mailbox.waitFor(user.email, since);
    expect(mail.to).toEqual([user.email]);
    expect(mail.subject).toBe('【Thankstar】パスワード再設定のご案内');
    const reset = { token: mailbox.tokenIn(mail, 'reset-password') };
    expect(JSON.stringify(answer)).not.toContain(reset.token);
    expect((await t.db.query('SELECT 1 FROM password_resets WHERE token_hash = $1', [reset.token])).length).toBe(0);
    expect(
      (await t.gql(undefined, RESET, { token: reset.token, password: 'brand new password' })).data.resetPassword,
    ).toBe(true);
    expect(codeOf(await t.gql(undefined, RESET, { token: reset.token, password: 'yet another one' }))).toBe(
      'INVALID_RESET_TOKEN',
    );
    expect(codeOf(await login(user.email, user.password))).toBe('INVALID_CREDENTIALS');
    const fresh = (await login(user.email, 'brand new password')).data.login;
    expect(fresh.user.id).toBe(user.id);
    expect(codeOf(await t.gql(undefined, REFRESH, { r: oldSession }))).toBe('INVALID_REFRESH_TOKEN');
    // The access token from before the reset stops working everywhere (the revocation travels
    // through Kafka to every service, this one included); the one from after it keeps working.
    await eventually(
      async () => (codeOf(await t.gql(oldAccess, ME)) === 'TOKEN_REVOKED' ? true : undefined),
      'the old access token refused',
    );
    expect((await t.gql(fresh.accessToken, ME)).data.me.id).toBe(user.id);
  });

  it('disables a user of the admin’s own tenant only', async () => {
    const user = await createUser(tenantA, ['operator']);
    const { refreshToken: session, accessToken } = (await login(user.email, user.password)).data.login;
    expect(codeOf(await t.gql(await tokenOf(adminB), DISABLE, { userId: user.id }))).toBe('NOT_FOUND');
    expect((await login(user.email, user.password)).data.login).toBeDefined();
    expect((await t.gql(accessToken, ME)).data.me.id).toBe(user.id);

    expect((await t.gql(await tokenOf(adminA), DISABLE, { userId: user.id })).data.disableUser).toEqual({
      id: user.id,
      disabled: true,
    });
    expect(codeOf(await login(user.email, user.password))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await t.gql(undefined, REFRESH, { r: session }))).toBe('INVALID_REFRESH_TOKEN');
    // Their unexpired access token is refused from moments later, not 15 minutes later.
    const refused = await eventually(async () => {
      const r = await t.gql(accessToken, ME);
      return codeOf(r) === 'TOKEN_REVOKED' ? r : undefined;
    }, 'the disabled user’s access token refused');
    expect(refused.errors?.[0]?.message).toMatch(/無効/);
    expect(refused.errors?.[0]?.extensions?.messageEn).toMatch(/disabled/);
    // Only that user: the admin who disabled them and a colleague carry on.
    expect((await t.gql(await tokenOf(adminA), ME)).data.me.id).toBe(adminA.id);
    expect((await t.gql(await tokenOf(operatorA), ME)).data.me.id).toBe(operatorA.id);
  });
});

describe('signing key rotation', () => {
  it('lets platform admins rotate; old tokens work until their key ages out of the JWKS', async () => {
    const provider = await createTenant(true);
    const platformAdmin = await createUser(provider, ['platform-admin']);
    const oldToken = await tokenOf(operatorA);
    const oldKid = decodeProtectedHeader(oldToken).kid;

    expect(codeOf(await t.gql(await tokenOf(adminA), 'mutation { rotateSigningKey }'))).toBe('FORBIDDEN');
    const newKid = (await t.gql(await tokenOf(platformAdmin), 'mutation { rotateSigningKey }')).data.rotateSigningKey;
    expect(newKid).not.toBe(oldKid);

    const jwks = (await t.http('GET', '/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid);
    expect(jwks).toEqual(expect.arrayContaining([oldKid, newKid]));
    const newToken = await tokenOf(operatorA);
    expect(decodeProtectedHeader(newToken).kid).toBe(newKid);
    expect((await t.gql(newToken, ME)).data.me.id).toBe(operatorA.id);
    expect((await t.gql(oldToken, ME)).data.me.id).toBe(operatorA.id);

    // Once tokens of the old key can no longer be valid, it leaves the JWKS and its tokens stop working.
    await t.db.query(`UPDATE signing_keys SET retired_at = now() - interval '1 day' WHERE kid = $1`, [oldKid]);
    await eventually(async () => {
      const kids = (await t.http('GET', '/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid);
      return kids.includes(oldKid) ? undefined : kids;
    }, 'the old key to leave the JWKS');
    // The verifier's key cache lives at most 5 s.
    expect(await eventually(async () => codeOf(await t.gql(oldToken, ME)), 'the old token to be refused')).toBe(
      'UNAUTHENTICATED',
    );
  });
});
