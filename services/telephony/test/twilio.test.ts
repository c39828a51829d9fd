import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../src/twilio/twilio-signature';
import { consumeCallEvents, eventually, graphql, startTelephony, type TestAuth } from './harness';

const CONNECT = `mutation($sid: String!, $token: String!) { connectTwilio(accountSid: $sid, authToken: $token) }`;

describe('Twilio voice webhook', () => {
  let app: INestApplication;
  let url: string;
  let auth: TestAuth;
  let consumer: Awaited<ReturnType<typeof consumeCallEvents>>;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');

  const post = async (params: Record<string, string>, options: { token?: string; signature?: string } = {}) => {
    const endpoint = `${url}/v1/twilio/voice`;
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': options.signature ?? twilioSignature(options.token ?? authToken, endpoint, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  const params = (callSid: string, status: string) => ({
    AccountSid: accountSid,
    CallSid: callSid,
    From: '+819011112222',
    To: '+81312345678',
    CallStatus: status,
    Direction: 'inbound',
  });

  beforeAll(async () => {
    ({ app, url, auth } = await startTelephony());
    consumer = await consumeCallEvents([tenantA, tenantB]);
    const adminA = await auth.sign({ tenantId: tenantA, roles: ['tenant-admin'] });
    expect((await graphql(url, adminA, CONNECT, { sid: accountSid, token: authToken })).data?.connectTwilio).toBe(
      accountSid,
    );
  });

  afterAll(async () => {
    await consumer?.stop();
    await app?.close();
  });

  it('records a signed ring, answers empty TwiML and publishes the call event', async () => {
    const callSid = `CA${randomBytes(16).toString('hex')}`;
    const res = await post(params(callSid, 'ringing'));
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/xml/);
    expect(res.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const [event] = await eventually(
      () =>
        consumer.events.filter((e) => e.payload.callId === callSid).length > 0 &&
        consumer.events.filter((e) => e.payload.callId === callSid),
      'the Twilio ring',
    );
    expect(event).toMatchObject({
      tenantId: tenantA,
      payload: { event: 'ringing', source: 'twilio', from: { display: '090-1111-2222' } },
    });

    expect((await post(params(callSid, 'in-progress'))).status).toBe(200);
    expect((await post({ ...params(callSid, 'completed'), Timestamp: new Date().toUTCString() })).status).toBe(200);
    const operator = await auth.sign({ tenantId: tenantA });
    const calls = await graphql(url, operator, `query { calls { items { callId source status answeredAt endedAt } } }`);
    expect(calls.data?.calls.items).toEqual([
      {
        callId: callSid,
        source: 'TWILIO',
        status: 'ENDED',
        answeredAt: expect.any(String),
        endedAt: expect.any(String),
      },
    ]);
  });

  it('refuses forged, unknown-account and malformed requests without storing anything', async () => {
    const callSid = `CA${randomBytes(16).toString('hex')}`;
    const forged = await post(params(callSid, 'ringing'), { token: 'f'.repeat(32) });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.text)).toMatchObject({ code: 'INVALID_SIGNATURE' });
    const unsigned = await post(params(callSid, 'ringing'), { signature: '' });
    expect(JSON.parse(unsigned.text)).toMatchObject({ code: 'INVALID_SIGNATURE' });
    const unknown = await post({ ...params(callSid, 'ringing'), AccountSid: `AC${'0'.repeat(32)}` });
    expect(unknown.status).toBe(401);
    expect(JSON.parse(unknown.text)).toMatchObject({ code: 'UNKNOWN_ACCOUNT' });
    const malformed = await post(params(callSid, 'exploded'));
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text)).toMatchObject({ code: 'INVALID_BODY' });
    const operator = await auth.sign({ tenantId: tenantA });
    const calls = await graphql(url, operator, `query { calls { items { callId } } }`);
    expect(calls.data?.calls.items.map((c: { callId: string }) => c.callId)).not.toContain(callSid);
  });

  it('keeps a Twilio account to one tenant and its settings to tenant admins', async () => {
    const adminB = await auth.sign({ tenantId: tenantB, roles: ['tenant-admin'] });
    const operatorA = await auth.sign({ tenantId: tenantA });
    expect(
      (await graphql(url, adminB, CONNECT, { sid: accountSid, token: authToken })).errors?.[0]?.extensions?.code,
    ).toBe('ACCOUNT_TAKEN');
    expect((await graphql(url, adminB, 'query { twilioAccountSid }')).data?.twilioAccountSid).toBeNull();
    expect((await graphql(url, operatorA, 'query { twilioAccountSid }')).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await graphql(url, adminB, CONNECT, { sid: 'AC123', token: authToken })).errors?.[0]?.extensions?.code,
    ).toBe('INVALID_ACCOUNT_SID');
  });
});
