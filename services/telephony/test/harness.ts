import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { CALL_EVENTS_TOPIC, type CallEvent, callEventSchema } from '@thankstar/contracts';
import { subscribeWhenTopicsExist, TOKEN_VERIFIER } from '@thankstar/platform';
import { createTestAuth, resetDatabase } from '@thankstar/platform/testing';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { AppModule } from '../src/app.module';
import { database } from '../src/database';
import { WebhookKeysService } from '../src/keys/webhook-keys.service';
import { installWebhookKeyGate } from '../src/webhook/webhook-key-gate';
import { signWebhook } from '../src/webhook/webhook-signature';

export type TestAuth = Awaited<ReturnType<typeof createTestAuth>>;

/** The telephony service in-process on an ephemeral port, on a fresh `_test` database. */
export async function startTelephony(
  options: { reset?: boolean; auth?: TestAuth } = {},
): Promise<{ app: INestApplication; url: string; auth: TestAuth }> {
  process.env.KAFKA_GROUP_PREFIX = `telephony-test-${randomUUID()}`;
  if (options.reset ?? true) await resetDatabase(database);
  const auth = options.auth ?? (await createTestAuth());
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(TOKEN_VERIFIER)
    .useValue(auth.verifier)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ rawBody: true, logger: false });
  // The same order and body limits as bootstrapService in main.ts: the key gate before the parsers.
  installWebhookKeyGate(app);
  app.useBodyParser('json', { limit: '256kb' });
  app.useBodyParser('urlencoded', { limit: '64kb', extended: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl(), auth };
}

export async function createKey(app: INestApplication, tenantId: string): Promise<{ keyId: string; secret: string }> {
  const { key, secret } = await app.get(WebhookKeysService).create(tenantId, 'test');
  return { keyId: key.keyId, secret };
}

export function ringBody(callId: string, overrides: Record<string, unknown> = {}) {
  return {
    callId,
    event: 'ringing',
    from: '090-1111-2222',
    to: '03-1234-5678',
    occurredAt: new Date().toISOString(),
    ...overrides,
  };
}

/** Posts a call event signed with the key, as an integrator would. */
export async function postSigned(
  url: string,
  key: { keyId: string; secret: string },
  body: unknown,
  options: { timestamp?: number; signature?: string; rawBody?: string } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const raw = options.rawBody ?? JSON.stringify(body);
  const t = options.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(`${url}/v1/calls/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-thankstar-key': key.keyId,
      'x-thankstar-signature': options.signature ?? signWebhook(key.secret, raw, t),
    },
    body: raw,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever shape their query asked for
type GraphQLData = Record<string, any>;
export interface GraphQLResult {
  data?: GraphQLData;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function graphql(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResult> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GraphQLResult;
}

/**
 * A real consumer of telephony.call-events.v1 in its own group, from the beginning of the topic,
 * keeping the messages of the given tenants; every one of them must validate.
 */
export async function consumeCallEvents(
  tenantIds: string[],
): Promise<{ events: CallEvent[]; invalid: unknown[]; stop(): Promise<void> }> {
  const kafka = new Kafka({
    clientId: 'telephony-test',
    brokers: [process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: CALL_EVENTS_TOPIC, numPartitions: 6 }] }).catch(() => undefined);
  await admin.disconnect();
  const consumer: Consumer = kafka.consumer({ groupId: `telephony-test-${randomUUID()}` });
  const events: CallEvent[] = [];
  const invalid: unknown[] = [];
  await consumer.connect();
  await subscribeWhenTopicsExist(consumer, [CALL_EVENTS_TOPIC], true);
  await consumer.run({
    eachMessage: async ({ message }) => {
      // Other teams' tests put poison messages on this topic on purpose: skip what is not JSON.
      let value: unknown;
      try {
        value = JSON.parse(message.value?.toString() ?? 'null');
      } catch {
        return;
      }
      const tenantId = (value as { tenantId?: unknown } | null)?.tenantId;
      if (typeof tenantId !== 'string' || !tenantIds.includes(tenantId)) return;
      const parsed = callEventSchema.safeParse(value);
      if (parsed.success) events.push(parsed.data);
      else invalid.push(parsed.error.issues);
    },
  });
  return { events, invalid, stop: () => consumer.disconnect() };
}

/** Waits until the condition holds; the generous limit only turns a hang into a failure. */
export async function eventually<T>(
  read: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  limitMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
