import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  KafkaJsBus,
  kafkaBrokersFromEnv,
  MESSAGE_BUS,
  type MessageBus,
  type SubscribeOptions,
  type Subscription,
} from '@thankstar/platform';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/identity/password';
import { eventually, startTestApp, type TestApp } from './support';

let t: TestApp;

const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) {
  accessToken refreshToken } }`;
const REFRESH = 'mutation ($r: String!) { refresh(refreshToken: $r) { accessToken refreshToken } }';
const ME = '{ me { id } }';
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
const errorOf = (r: { errors?: any[] }) => r.errors?.[0];

let tenantId: string;
const user = { id: randomUUID(), email: `${randomUUID()}@example.jp`, password: 'a long enough password' };

beforeAll(async () => {
  t = await startTestApp();
  tenantId = randomUUID();
  await t.db.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [tenantId, 'トークン検証テナント']);
  await t.db.query(
    'INSERT INTO users (id, tenant_id, email, name, password_hash, roles) VALUES ($1, $2, $3, $4, $5, $6)',
    [user.id, tenantId, user.email, '山田 太郎', await hashPassword(user.password), ['operator']],
  );
});
afterAll(async () => {
  await t?.close();
});

/** The access token minted before the family was revoked, kept for the second test. */
let revokedAccess: string;

describe('refresh-token reuse revokes the session’s access tokens', { timeout: 120_000 }, () => {
  it('refuses every access token of the reused family with TOKEN_REVOKED, and only those', async () => {
    const first = (await t.gql(undefined, LOGIN, user)).data.login;
    const other = (await t.gql(undefined, LOGIN, user)).data.login;
    // Each sign-in is a session of its own, named in the access token.
    const sid = decodeJwt(first.accessToken).sid;
    expect(sid).toEqual(expect.any(String));
    expect(decodeJwt(other.accessToken).sid).not.toBe(sid);

    const second = (await t.gql(undefined, REFRESH, { r: first.refreshToken })).data.refresh;
    expect(decodeJwt(second.accessToken).sid).toBe(sid);
    expect((await t.gql(second.accessToken, ME)).data.me.id).toBe(user.id);

    // The spent first refresh token comes back: someone copied it.
    expect(errorOf(await t.gql(undefined, REFRESH, { r: first.refreshToken }))?.extensions.code).toBe(
      'REFRESH_TOKEN_REUSED',
    );
    // The revocation goes through the outbox and the real broker to this service's list.
    for (const token of [first.accessToken, second.accessToken]) {
      const refused = await eventually(async () => {
        const error = errorOf(await t.gql(token, ME));
        return error?.extensions.code === 'TOKEN_REVOKED' ? error : undefined;
      }, 'an access token of the reused session refused');
      expect(refused.extensions.details).toEqual({ reason: 'refresh-token-reused' });
      expect(refused.message).toMatch(/セッション/);
    }
    // The user's other session is not the one that leaked.
    expect((await t.gql(other.accessToken, ME)).data.me.id).toBe(user.id);
    revokedAccess = first.accessToken;
  });
});

/**
 * The real broker, except that the revocation reader's subscription waits for `release()`: a
 * reader that has not joined yet, as after a slow start, made deterministic for the assertion.
 */
function heldRevocationReader(bus: MessageBus): { bus: MessageBus; release(): void } {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const held: MessageBus = {
    publish: (messages) => bus.publish(messages),
    progress: (groupId, topic, at) => bus.progress(groupId, topic, at),
    subscribe: async (options: SubscribeOptions): Promise<Subscription> => {
      if (options.groupId.includes('.revocations.')) await released;
      return bus.subscribe(options);
    },
    ensureTopics: (topics) => bus.ensureTopics(topics),
    ping: () => bus.ping(),
    close: () => bus.close(),
  };
  return { bus: held, release };
}

describe('readiness waits for the revocation list', { timeout: 120_000 }, () => {
  it('a freshly started instance is not ready until it has read the revocations, then refuses the revoked token', async () => {
    expect(revokedAccess).toBeDefined();
    const { AppModule } = await import('../src/app.module');
    const reader = heldRevocationReader(
      new KafkaJsBus({ clientId: 'licensing-test-second', brokers: kafkaBrokersFromEnv() }),
    );
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(MESSAGE_BUS)
      .useValue(reader.bus)
      .compile();
    const second: INestApplication = moduleRef.createNestApplication({ logger: false });
    try {
      await second.listen(0, '127.0.0.1');
      const url = (await second.getUrl()).replace('[::1]', '127.0.0.1');
      const health = async () => {
        const res = await fetch(`${url}/health`);
        return { status: res.status, body: await res.json() };
      };
      const me = async (token: string) =>
        (
          await fetch(`${url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: ME }),
          })
        ).json();

      const before = await health();
      expect(before.status).toBe(503);
      expect(before.body).toMatchObject({
        code: 'NOT_READY',
        details: { database: 'up', broker: 'up', revocations: 'catching-up' },
      });
      // Why it must not take traffic yet: it does not know of the revocation.
      expect((await me(revokedAccess)).data?.me.id).toBe(user.id);

      reader.release();
      const ready = await eventually(async () => {
        const h = await health();
        return h.status === 200 ? h : undefined;
      }, 'the second instance ready');
      expect(ready.body).toEqual({ status: 'ok', database: 'up', broker: 'up', revocations: 'caught-up' });
      // Ready means caught up: the revoked token is refused at once, with no waiting.
      expect(errorOf(await me(revokedAccess))?.extensions.code).toBe('TOKEN_REVOKED');
    } finally {
      await second.close();
    }
  });
});
