import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  CALL_EVENTS_TOPIC,
  type CallEventPayload,
  deadLetterTopic,
  INTERACTIONS_TOPIC,
  INVOICES_TOPIC,
  KEYED_RECORDS_TOPIC,
  NOTICES_TOPIC,
  POPUPS_TOPIC,
} from '@thankstar/contracts';
import { normalizePhoneNumber } from '@thankstar/phone';
import { dataSourceOptions, kafkaBrokersFromEnv, TOKEN_VERIFIER } from '@thankstar/platform';
import { createTestAuth, resetDatabase, startGroupsAtEnd } from '@thankstar/platform/testing';
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { expect } from 'vitest';
import { webhookSources } from '../src/webhooks/webhook-events.consumer';

/** The customers service booted in-process on a clean `_test` database, with its own token signer and Kafka peers. */
export interface Harness {
  app: INestApplication;
  url: string;
  sign: Awaited<ReturnType<typeof createTestAuth>>['sign'];
  producer: Producer;
  /** Every message seen on the watched topics since start, by topic. */
  seen: Map<string, { key: string | null; value: string; headers: Record<string, string> }[]>;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    /** Runs on the clean database before the service boots (e.g. rows a dead process left behind). */
    beforeBoot?: (db: DataSource) => Promise<void>;
  } = {},
): Promise<Harness> {
  // The group prefix must be set before the app module (and its consumer) is loaded.
  process.env.KAFKA_GROUP_PREFIX = `test-customers-${randomUUID()}`;
  const { database } = await import('../src/database');
  const { AppModule } = await import('../src/app.module');
  await resetDatabase(database);
  if (options.beforeBoot) {
    const db = await new DataSource(dataSourceOptions(database)).initialize();
    try {
      await options.beforeBoot(db);
    } finally {
      await db.destroy();
    }
  }
  const kafka = new Kafka({ clientId: 'customers-test', brokers: kafkaBrokersFromEnv(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topicsNeeded = [
    CALL_EVENTS_TOPIC,
    POPUPS_TOPIC,
    INTERACTIONS_TOPIC,
    KEYED_RECORDS_TOPIC,
    NOTICES_TOPIC,
    INVOICES_TOPIC,
    deadLetterTopic(CALL_EVENTS_TOPIC),
  ];
  const existing = new Set(await admin.listTopics());
  await admin.createTopics({
    waitForLeaders: true,
    topics: topicsNeeded
      .filter((t) => !existing.has(t))
      .map((topic) => ({ topic, numPartitions: topic.endsWith('.dlq') ? 1 : 6 })),
  });
  await admin.disconnect();
  // The service's groups read from the beginning (right for production). A fresh test group would
  // replay every event other suites ever wrote, so each starts at the current end instead: the
  // call-event group and the outbound webhook groups (one per topic they read).
  await startGroupsAtEnd(kafka, [
    { groupId: `${process.env.KAFKA_GROUP_PREFIX}.customers`, topic: CALL_EVENTS_TOPIC },
    ...Object.entries(webhookSources).map(([source, topic]) => ({
      groupId: `${process.env.KAFKA_GROUP_PREFIX}.customers.webhooks.${source}`,
      topic,
    })),
  ]);

  const seen: Harness['seen'] = new Map(topicsNeeded.map((t) => [t, []]));
  const consumer: Consumer = kafka.consumer({
    groupId: `${process.env.KAFKA_GROUP_PREFIX}.watcher`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({
    topics: [POPUPS_TOPIC, INTERACTIONS_TOPIC, KEYED_RECORDS_TOPIC, NOTICES_TOPIC, deadLetterTopic(CALL_EVENTS_TOPIC)],
    fromBeginning: true,
  });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(v);
      seen.get(topic)?.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? '', headers });
    },
  });

  const auth = await createTestAuth();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(TOKEN_VERIFIER)
    .useValue(auth.verifier)
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const producer = kafka.producer();
  await producer.connect();
  return {
    app,
    url: `http://127.0.0.1:${address.port}/graphql`,
    sign: auth.sign,
    producer,
    seen,
    close: async () => {
      await producer.disconnect();
      await consumer.disconnect();
      await app.close();
    },
  };
}

export interface GraphQLResult<T = Record<string, unknown>> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; details?: unknown } }[];
}

export async function gql<T = Record<string, unknown>>(
  h: Harness,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResult<T>> {
  const res = await fetch(h.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GraphQLResult<T>;
}

/** Data of a query that must succeed. */
export async function ok<T = Record<string, unknown>>(
  h: Harness,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const r = await gql<T>(h, token, query, variables);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data as T;
}

/** The error code of an operation that must fail. */
export async function errorCode(h: Harness, token: string, query: string, variables: Record<string, unknown> = {}) {
  const r = await gql(h, token, query, variables);
  expect(r.errors, `expected an error, got ${JSON.stringify(r.data)}`).toBeDefined();
  return r.errors?.[0]?.extensions?.code;
}

/** Polls until `probe` gives a value; the test fails with `what` if it never does. */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function callEvent(
  tenantId: string,
  p: { callId: string; from: string; event?: CallEventPayload['event']; lineLabel?: string; at?: string },
) {
  return {
    id: randomUUID(),
    type: 'telephony.call-event',
    tenantId,
    occurredAt: new Date().toISOString(),
    payload: {
      callId: p.callId,
      event: p.event ?? 'ringing',
      from: normalizePhoneNumber(p.from),
      to: normalizePhoneNumber('0312345678'),
      lineLabel: p.lineLabel ?? '東京店',
      source: 'webhook',
      at: p.at ?? new Date().toISOString(),
    } satisfies CallEventPayload,
  };
}

/** Writes to the call-events topic as telephony's outbox relay does: key `tenantId:callId`, the envelope as JSON. */
export async function produceCall(h: Harness, envelope: ReturnType<typeof callEvent>, key?: string) {
  await h.producer.send({
    topic: CALL_EVENTS_TOPIC,
    messages: [{ key: key ?? `${envelope.tenantId}:${envelope.payload.callId}`, value: JSON.stringify(envelope) }],
  });
}

/** Messages on a topic that parse as JSON; other suites on this broker also write poison messages. */
export function jsonMessages<T>(h: Harness, topic: string): T[] {
  return (h.seen.get(topic) ?? []).flatMap((m) => {
    try {
      return [JSON.parse(m.value) as T];
    } catch {
      return [];
    }
  });
}

export function popupsFor(h: Harness, tenantId: string, callId: string) {
  return jsonMessages<{ id: string; tenantId: string; payload: Record<string, unknown> & { callId: string } }>(
    h,
    POPUPS_TOPIC,
  ).filter((e) => e.tenantId === tenantId && e.payload?.callId === callId);
}

/** The popup event for a call, once it has arrived on `customers.popups.v1`. */
export function popupOf(h: Harness, tenantId: string, callId: string) {
  return eventually(`popup for ${callId}`, () => popupsFor(h, tenantId, callId)[0]);
}
