import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  KEYED_RECORDS_TOPIC,
  POPUPS_TOPIC,
  type Popup,
  type PopupClass,
  popupSchema,
  SESSIONS_TOPIC,
} from '@thankstar/contracts';
import { KafkaJsBus, kafkaBrokersFromEnv, platformTopics, type Role, TOKEN_VERIFIER } from '@thankstar/platform';
import { createTestAuth, resetDatabase, startGroupsAtEnd as startGroupsAtEndOf } from '@thankstar/platform/testing';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { database } from '../src/database';
import { seedDemo } from '../src/seed/demo';

export interface TestApp {
  app: INestApplication;
  url: string;
  db: DataSource;
  sign(p: { tenantId: string; userId?: string; roles?: Role[]; name?: string }): Promise<string>;
  http(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; body: any; bytes: Buffer; type: string | null }>;
  gql(
    token: string | undefined,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: any; errors?: any[] }>;
  close(): Promise<void>;
}

/**
 * Commits the end of each topic as the starting point of billing's consumer groups, so a test
 * rates only its own events instead of the topics' whole history.
 */
export async function startGroupsAtEnd(prefix: string): Promise<void> {
  // On a fresh broker the topics may not exist yet (this file can run first): create them, with leaders.
  const bus = new KafkaJsBus({ clientId: 'billing-test-topics', brokers: kafkaBrokersFromEnv() });
  try {
    await bus.ensureTopics(platformTopics);
  } finally {
    await bus.close();
  }
  const kafka = new Kafka({
    clientId: 'billing-test-admin',
    brokers: kafkaBrokersFromEnv(),
    logLevel: logLevel.NOTHING,
  });
  await startGroupsAtEndOf(
    kafka,
    (
      [
        ['billing.rating', POPUPS_TOPIC],
        ['billing.presence', SESSIONS_TOPIC],
        ['billing.keyed-records', KEYED_RECORDS_TOPIC],
      ] as const
    ).map(([group, topic]) => ({ groupId: `${prefix}.${group}`, topic })),
  );
}

/** A clean billing database with the seeded plans, and the real AppModule in-process. */
export async function startTestApp(options: { skipHistory?: boolean } = {}): Promise<TestApp> {
  process.env.KAFKA_GROUP_PREFIX = `billing-test-${randomUUID()}`;
  if (options.skipHistory) await startGroupsAtEnd(process.env.KAFKA_GROUP_PREFIX);
  // Tests drive the monthly close themselves (scheduler.tick with a fixed clock).
  process.env.BILLING_SCHEDULER = 'off';
  await resetDatabase(database);
  const auth = await createTestAuth();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(TOKEN_VERIFIER)
    .useValue(auth.verifier)
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const db = app.get(DataSource);
  await db.transaction((m) => seedDemo(m));
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const http: TestApp['http'] = async (method, path, token, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type');
    const json = type?.includes('json') && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : undefined;
    return { status: res.status, body: json, bytes, type };
  };
  return {
    app,
    url,
    db,
    sign: (p) => auth.sign(p),
    http,
    gql: async (token, query, variables) => (await http('POST', '/graphql', token, { query, variables })).body,
    close: () => app.close(),
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

/** Reads a topic from the real broker with a fresh consumer group, message by message. */
export async function collectRaw(topic: string): Promise<{ messages: IncomingMessage[]; stop(): Promise<void> }> {
  const bus = new KafkaJsBus({ clientId: 'billing-test-reader', brokers: kafkaBrokersFromEnv() });
  const messages: IncomingMessage[] = [];
  const subscription = await bus.subscribe({
    groupId: `billing-test-reader-${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    handle: async (message) => {
      messages.push(message);
    },
  });
  return {
    messages,
    stop: async () => {
      await subscription.stop();
      await bus.close();
    },
  };
}

/** The topic's events, validated with the topic's schema. */
export async function collectTopic<E>(
  topic: string,
  schema: { parse(value: unknown): E },
): Promise<{ readonly events: E[]; stop(): Promise<void> }> {
  const raw = await collectRaw(topic);
  return {
    get events() {
      return raw.messages.map((m) => schema.parse(JSON.parse(m.value?.toString('utf8') ?? '')));
    },
    stop: raw.stop,
  };
}

/** A popup of one call as customers publishes it (a plain caller, no customer record). */
export function popupEvent(tenantId: string, callId: string, cls: PopupClass, rangAt: string): Popup {
  return popupSchema.parse({
    id: randomUUID(),
    type: 'customers.popup',
    tenantId,
    occurredAt: rangAt,
    payload: {
      popupId: randomUUID(),
      callId,
      class: cls,
      caller: { raw: '0312345678', e164: '+81312345678', display: '03-1234-5678', valid: true, withheldReason: null },
      lineLabel: null,
      rangAt,
      customer: null,
      candidates: [],
      purchases: [],
      purchaseTotals: null,
      interactions: [],
      notesAllowed: cls !== 'NUISANCE',
    },
  });
}
