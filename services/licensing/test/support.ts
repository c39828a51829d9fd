import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SESSIONS_TOPIC, type SessionEvent, sessionEventSchema } from '@thankstar/contracts';
import { databaseUrl, KafkaJsBus, kafkaBrokersFromEnv, type Role } from '@thankstar/platform';
import { resetDatabase } from '@thankstar/platform/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { database } from '../src/database';
import { SigningKeysService } from '../src/keys/signing-keys.service';

// biome-ignore-start lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
export interface TestApp {
  app: INestApplication;
  url: string;
  db: DataSource;
  sign(p: { tenantId: string; userId?: string; roles?: Role[]; name?: string }): Promise<string>;
  http(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }>;
  gql(
    token: string | undefined,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: any; errors?: any[] }>;
  close(): Promise<void>;
}
// biome-ignore-end lint/suspicious/noExplicitAny: tests read arbitrary JSON answers

/**
 * A clean licensing database and the real AppModule in-process. Tokens for any user are signed
 * with licensing's own keys, so the real verifier checks them.
 */
export async function startTestApp(): Promise<TestApp> {
  process.env.KAFKA_GROUP_PREFIX = `licensing-test-${randomUUID()}`;
  // A database of this run's own (still ending in _test), so two runs at once never reset each other's.
  process.env.THANKSTAR_DB_SUFFIX = `_${process.pid}_test`;
  await resetDatabase(database);
  // Imported only now: the module reads the database name when it is loaded.
  const { AppModule } = await import('../src/app.module');
  const app = await NestFactory.create(AppModule, { logger: false });
  const keys = app.get(SigningKeysService);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const http: TestApp['http'] = async (method, path, token, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    app,
    url,
    db: app.get(DataSource),
    sign: async ({ tenantId, userId = randomUUID(), roles = ['operator'], name = 'Test User' }) =>
      (await keys.sign({ sub: userId, tid: tenantId, roles, name })).token,
    http,
    gql: async (token, query, variables) => (await http('POST', '/graphql', token, { query, variables })).body,
    close: async () => {
      await app.close();
      await dropDatabase();
    },
  };
}

/** Polls until `probe` returns a value other than undefined (real Kafka and relays take a moment). */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Reads `licensing.sessions.v1` from the real broker, as billing would. */
export async function collectSessionEvents(): Promise<{ events: SessionEvent[]; stop(): Promise<void> }> {
  const bus = new KafkaJsBus({ clientId: 'licensing-test-reader', brokers: kafkaBrokersFromEnv() });
  const events: SessionEvent[] = [];
  const subscription = await bus.subscribe({
    groupId: `licensing-test-sessions-${randomUUID()}`,
    topics: [SESSIONS_TOPIC],
    fromBeginning: true,
    handle: async (message) => {
      events.push(sessionEventSchema.parse(JSON.parse(message.value?.toString('utf8') ?? '')));
    },
  });
  return {
    events,
    stop: async () => {
      await subscription.stop();
      await bus.close();
    },
  };
}

async function dropDatabase(): Promise<void> {
  const url = new URL(databaseUrl(database.service));
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
