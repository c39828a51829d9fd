import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, graphql, postSigned, ringBody, startTelephony, type TestAuth } from './harness';

const CREATE = `mutation($label: String) { createWebhookKey(label: $label) { secret key { keyId label secrets { prefix expiresAt } } } }`;
const ROTATE = `mutation($keyId: String!, $grace: Int) { rotateWebhookKey(keyId: $keyId, graceHours: $grace) { secret key { keyId secrets { prefix expiresAt } } } }`;
const REVOKE = `mutation($keyId: String!) { revokeWebhookKey(keyId: $keyId) { keyId revokedAt secrets { prefix } } }`;
const LIST = `query { webhookKeys { keyId label revokedAt secrets { prefix } } }`;

describe('tenant admin: webhook keys, lines, missed calls', () => {
  let app: INestApplication;
  let url: string;
  let auth: TestAuth;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  let adminA: string;
  let adminB: string;
  let operatorA: string;

  beforeAll(async () => {
    ({ app, url, auth } = await startTelephony());
    adminA = await auth.sign({ tenantId: tenantA, roles: ['tenant-admin'] });
    adminB = await auth.sign({ tenantId: tenantB, roles: ['tenant-admin'] });
    operatorA = await auth.sign({ tenantId: tenantA, roles: ['operator'] });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('creates a key whose secret is shown once, rotates it with two secrets active, and revokes it', async () => {
    const created = await graphql(url, adminA, CREATE, { label: 'PBX 東京' });
    const { secret, key } = created.data?.createWebhookKey ?? {};
    expect(secret).toMatch(/^whsec_/);
    expect(key.secrets).toEqual([{ prefix: secret.slice(0, 12), expiresAt: null }]);
    const listed = await graphql(url, adminA, LIST);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(listed.data?.webhookKeys).toEqual([
      { keyId: key.keyId, label: 'PBX 東京', revokedAt: null, secrets: [{ prefix: secret.slice(0, 12) }] },
    ]);
    const first = { keyId: key.keyId, secret };
    expect((await postSigned(url, first, ringBody(randomUUID()))).status).toBe(202);

    const rotated = await graphql(url, adminA, ROTATE, { keyId: key.keyId, grace: 24 });
    const second = { keyId: key.keyId, secret: rotated.data?.rotateWebhookKey.secret };
    expect(rotated.data?.rotateWebhookKey.key.secrets).toHaveLength(2);
    expect((await postSigned(url, first, ringBody(randomUUID()))).status).toBe(202);
    expect((await postSigned(url, second, ringBody(randomUUID()))).status).toBe(202);

    // A second rotation retires the oldest secret at once: never more than two are active.
    const third = {
      keyId: key.keyId,
      secret: (await graphql(url, adminA, ROTATE, { keyId: key.keyId })).data?.rotateWebhookKey.secret,
    };
    expect((await postSigned(url, first, ringBody(randomUUID()))).json.code).toBe('INVALID_SIGNATURE');
    expect((await postSigned(url, second, ringBody(randomUUID()))).status).toBe(202);
    expect((await postSigned(url, third, ringBody(randomUUID()))).status).toBe(202);

    const revoked = await graphql(url, adminA, REVOKE, { keyId: key.keyId });
    expect(revoked.data?.revokeWebhookKey).toMatchObject({
      keyId: key.keyId,
      revokedAt: expect.any(String),
      secrets: [],
    });
    expect((await postSigned(url, third, ringBody(randomUUID()))).json.code).toBe('UNKNOWN_KEY');
  });

  it('lets only tenant admins manage keys, and only their own', async () => {
    expect((await graphql(url, operatorA, CREATE)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await graphql(url, operatorA, LIST)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const keyA = (await graphql(url, adminA, CREATE)).data?.createWebhookKey.key.keyId;
    expect((await graphql(url, adminB, LIST)).data?.webhookKeys.map((k: { keyId: string }) => k.keyId)).not.toContain(
      keyA,
    );
    expect((await graphql(url, adminB, ROTATE, { keyId: keyA })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await graphql(url, adminB, REVOKE, { keyId: keyA })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(
      (await graphql(url, adminA, LIST)).data?.webhookKeys.find((k: { keyId: string }) => k.keyId === keyA)?.revokedAt,
    ).toBeNull();
    expect((await graphql(url, adminA, ROTATE, { keyId: keyA, grace: -1 })).errors?.[0]?.extensions?.code).toBe(
      'INVALID_GRACE_PERIOD',
    );
  });

  it('resolves which of several labelled lines rang, and keeps lines per tenant', async () => {
    const add = `mutation($number: String!, $label: String) { addLine(number: $number, label: $label) { id label number { e164 display } } }`;
    const osaka = (await graphql(url, adminA, add, { number: '06-1234-5678', label: '大阪店' })).data?.addLine;
    const tokyo = (await graphql(url, adminA, add, { number: '0312345678', label: '東京店' })).data?.addLine;
    expect(osaka).toMatchObject({ label: '大阪店', number: { e164: '+81612345678', display: '06-1234-5678' } });
    expect((await graphql(url, adminA, add, { number: '+81 3-1234-5678' })).errors?.[0]?.extensions?.code).toBe(
      'LINE_EXISTS',
    );
    expect((await graphql(url, adminA, add, { number: 'front desk' })).errors?.[0]?.extensions?.code).toBe(
      'INVALID_NUMBER',
    );
    expect((await graphql(url, operatorA, add, { number: '0311112222' })).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );

    const key = await createKey(app, tenantA);
    const callId = randomUUID();
    expect((await postSigned(url, key, ringBody(callId, { to: '+81612345678' }))).status).toBe(202);
    const calls = await graphql(
      url,
      operatorA,
      `query($f: CallFilter) { calls(filter: $f) { total items { callId line { id label } } } }`,
      {
        f: { lineId: osaka.id },
      },
    );
    expect(calls.data?.calls.items).toEqual([{ callId, line: { id: osaka.id, label: '大阪店' } }]);

    const relabel = `mutation($id: ID!, $label: String) { relabelLine(id: $id, label: $label) { label } }`;
    expect(
      (await graphql(url, adminB, relabel, { id: tokyo.id, label: 'mine now' })).errors?.[0]?.extensions?.code,
    ).toBe('NOT_FOUND');
    expect(
      (await graphql(url, adminB, `mutation($id: ID!) { removeLine(id: $id) }`, { id: tokyo.id })).errors?.[0]
        ?.extensions?.code,
    ).toBe('NOT_FOUND');
    expect((await graphql(url, adminA, relabel, { id: tokyo.id, label: '本店' })).data?.relabelLine).toEqual({
      label: '本店',
    });
    expect(
      (await graphql(url, adminA, `mutation($id: ID!) { removeLine(id: $id) }`, { id: tokyo.id })).data?.removeLine,
    ).toBe(true);
  });

  it('lists missed calls with seen marks per user, never another tenant’s', async () => {
    const keyA = await createKey(app, tenantA);
    const keyB = await createKey(app, tenantB);
    const since = new Date(Date.now() - 60_000).toISOString();
    const missed = randomUUID();
    const unanswered = randomUUID();
    const answered = randomUUID();
    const otherTenant = randomUUID();
    for (const [key, callId, events] of [
      [keyA, missed, ['ringing', 'missed']],
      [keyA, unanswered, ['ringing', 'ended']],
      [keyA, answered, ['ringing', 'answered', 'ended']],
      [keyB, otherTenant, ['missed']],
    ] as const) {
      for (const event of events) expect((await postSigned(url, key, ringBody(callId, { event }))).status).toBe(202);
    }
    const user1 = await auth.sign({ tenantId: tenantA });
    const user2 = await auth.sign({ tenantId: tenantA });
    const userB = await auth.sign({ tenantId: tenantB });
    const MISSED = `query($since: String!) { missedCalls(since: $since) { seen call { id callId status } } }`;
    const list1 = (await graphql(url, user1, MISSED, { since })).data?.missedCalls as {
      seen: boolean;
      call: { id: string; callId: string; status: string };
    }[];
    expect(list1.map((m) => m.call.callId).sort()).toEqual([missed, unanswered].sort());
    expect(list1.every((m) => !m.seen && m.call.status === 'MISSED')).toBe(true);

    const ids = list1.map((m) => m.call.id);
    const MARK = `mutation($ids: [ID!]!) { markMissedCallsSeen(callIds: $ids) }`;
    expect((await graphql(url, userB, MARK, { ids })).data?.markMissedCallsSeen).toBe(0);
    expect((await graphql(url, user1, MARK, { ids: [ids[0]] })).data?.markMissedCallsSeen).toBe(1);
    expect((await graphql(url, user1, MARK, { ids: [ids[0]] })).data?.markMissedCallsSeen).toBe(0);

    const seenBy = async (token: string) =>
      Object.fromEntries(
        (
          ((await graphql(url, token, MISSED, { since })).data?.missedCalls ?? []) as {
            seen: boolean;
            call: { id: string };
          }[]
        ).map((m) => [m.call.id, m.seen]),
      );
    expect(await seenBy(user1)).toEqual({ [ids[0] as string]: true, [ids[1] as string]: false });
    expect(await seenBy(user2)).toEqual({ [ids[0] as string]: false, [ids[1] as string]: false });
    const listB = (await graphql(url, userB, MISSED, { since })).data?.missedCalls as { call: { callId: string } }[];
    expect(listB.map((m) => m.call.callId)).toEqual([otherTenant]);
    expect((await graphql(url, user1, MISSED, { since: 'last week' })).errors?.[0]?.extensions?.code).toBe(
      'INVALID_TIME',
    );
  });
});
