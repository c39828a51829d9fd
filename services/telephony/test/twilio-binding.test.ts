import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwilioRepository } from '../src/twilio/twilio.repository';
import { twilioSignature } from '../src/twilio/twilio-signature';
import { graphql, startTelephony, type TestAuth } from './harness';

const CONNECT = `mutation($sid: String!, $token: String!) { connectTwilio(accountSid: $sid, authToken: $token) }`;

/**
 * A Twilio AccountSid is bound to a tenant only by a request that verifies with the token the
 * tenant entered. Tenant A names tenant B's account with a token of its own choosing: A's
 * claim stays pending, blocks nobody, and B's first genuine request binds the account to B.
 */
describe('binding a Twilio account to the tenant that proves it', () => {
  let app: INestApplication;
  let url: string;
  let auth: TestAuth;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const tokenB = randomBytes(16).toString('hex'); // B's real Twilio auth token
  const tokenA = randomBytes(16).toString('hex'); // what A typed in

  const post = async (token: string) => {
    const endpoint = `${url}/v1/twilio/voice`;
    const params = {
      AccountSid: accountSid,
      CallSid: `CA${randomBytes(16).toString('hex')}`,
      From: '+819011112222',
      To: '+81312345678',
      CallStatus: 'ringing',
    };
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(token, endpoint, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    const text = await res.text();
    return { status: res.status, code: res.status === 200 ? null : (JSON.parse(text) as { code: string }).code };
  };
  const bindings = async () =>
    (await app
      .get(DataSource)
      .query(
        'SELECT tenant_id, verified_at IS NOT NULL AS verified FROM twilio_accounts WHERE account_sid = $1 ORDER BY tenant_id',
        [accountSid],
      )) as { tenant_id: string; verified: boolean }[];

  beforeAll(async () => {
    ({ app, url, auth } = await startTelephony());
  });

  afterAll(async () => {
    await app?.close();
  });

  it('keeps an unproven claim pending, lets the owner claim too, and binds the account to whoever proves it', async () => {
    const adminA = await auth.sign({ tenantId: tenantA, roles: ['tenant-admin'] });
    const adminB = await auth.sign({ tenantId: tenantB, roles: ['tenant-admin'] });
    // A names B's account first.
    expect((await graphql(url, adminA, CONNECT, { sid: accountSid, token: tokenA })).data?.connectTwilio).toBe(
      accountSid,
    );
    // Twilio's genuine request (signed with B's token) does not verify with A's token: refused, A not bound.
    expect(await post(tokenB)).toEqual({ status: 401, code: 'INVALID_SIGNATURE' });
    expect(await bindings()).toEqual([{ tenant_id: tenantA, verified: false }]);
    // A's pending claim does not block B (before, B got ACCOUNT_TAKEN here).
    const connected = await graphql(url, adminB, CONNECT, { sid: accountSid, token: tokenB });
    expect(connected.errors).toBeUndefined();
    expect(connected.data?.connectTwilio).toBe(accountSid);
    // B's next genuine request verifies with B's token: bound to B, A's unproven claim dropped.
    expect(await post(tokenB)).toEqual({ status: 200, code: null });
    expect(await bindings()).toEqual([{ tenant_id: tenantB, verified: true }]);
    // From now on the account is B's: A cannot claim it again, and A's token does not sign for it.
    expect(
      (await graphql(url, adminA, CONNECT, { sid: accountSid, token: tokenA })).errors?.[0]?.extensions?.code,
    ).toBe('ACCOUNT_TAKEN');
    expect(await post(tokenA)).toEqual({ status: 401, code: 'INVALID_SIGNATURE' });
    const operatorB = await auth.sign({ tenantId: tenantB });
    const calls = await graphql(url, operatorB, 'query { calls { items { source } } }');
    expect(calls.data?.calls.items).toEqual([{ source: 'TWILIO' }]);
  });

  it('keeps a binding when only the token is changed, and drops it when the account is', async () => {
    const adminB = await auth.sign({ tenantId: tenantB, roles: ['tenant-admin'] });
    const newToken = randomBytes(16).toString('hex');
    expect((await graphql(url, adminB, CONNECT, { sid: accountSid, token: newToken })).errors).toBeUndefined();
    expect(await bindings()).toEqual([{ tenant_id: tenantB, verified: true }]);
    const other = `AC${randomBytes(16).toString('hex')}`;
    expect((await graphql(url, adminB, CONNECT, { sid: other, token: newToken })).errors).toBeUndefined();
    expect(await bindings()).toEqual([]);
  });

  it('binds a pending claim once: a claim no longer pending is not bound again (the race authenticate retries on)', async () => {
    const tenant = randomUUID();
    const sid = `AC${randomBytes(16).toString('hex')}`;
    const admin = await auth.sign({ tenantId: tenant, roles: ['tenant-admin'] });
    expect(
      (await graphql(url, admin, CONNECT, { sid, token: randomBytes(16).toString('hex') })).errors,
    ).toBeUndefined();
    const ds = app.get(DataSource);
    const accounts = app.get(TwilioRepository);
    expect(await accounts.bind(ds.manager, tenant, sid)).toBe(true);
    expect(await accounts.bind(ds.manager, tenant, sid)).toBe(false);
    expect(await accounts.bind(ds.manager, randomUUID(), sid)).toBe(false);
  });
});
