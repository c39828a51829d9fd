import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessagingTables1764400000000 } from '../src/database/messaging-tables.migration';
import { OutboxParked1764400000001 } from '../src/database/outbox-parked.migration';
import { PlatformModule } from '../src/nest/platform.module';
import { resetDatabase } from '../src/testing';

/**
 * Readiness without the broker (docs/decisions/0010-readiness-without-broker.md), against real
 * Postgres and a real broker of the test's own (deploy/local/kafka-start.sh on its own port and
 * state, so the shared broker on 9092 is never touched): an instance whose revocation list caught
 * up once stays ready (200, `broker: 'down'`) when the broker goes away; an instance that never
 * reached a broker is alive but not ready.
 */
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const brokerPort = 29_092;
const brokerEnv = {
  ...process.env,
  THANKSTAR_RUN: `${repo}.run/readiness-test`,
  KAFKA_PORT: String(brokerPort),
  KAFKA_CONTROLLER_PORT: String(brokerPort + 1),
};
const run = promisify(execFile);
const broker = (script: 'kafka-start.sh' | 'kafka-stop.sh') =>
  run('bash', [`${repo}deploy/local/${script}`], { env: brokerEnv, maxBuffer: 1 << 24 });

const database = {
  service: 'readiness',
  entities: [],
  migrations: [MessagingTables1764400000000, OutboxParked1764400000001],
};

/** One instance of a minimal service (PlatformModule alone) against the given broker address. */
async function startInstance(kafkaBrokers: string): Promise<{ app: INestApplication; url: string }> {
  process.env.KAFKA_BROKERS = kafkaBrokers;
  @Module({
    imports: [
      PlatformModule.forService({
        ...database,
        typePaths: [fileURLToPath(new URL('./fixtures/readiness.graphql', import.meta.url))],
      }),
    ],
  })
  class ReadinessModule {}
  const app = await NestFactory.create(ReadinessModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

async function probe(url: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function eventually<T>(check: () => Promise<T | undefined>, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('readiness without the broker (real Postgres, a broker of its own)', { timeout: 180_000 }, () => {
  const started: INestApplication[] = [];
  const brokersBefore = process.env.KAFKA_BROKERS;

  beforeAll(async () => {
    process.env.KAFKA_GROUP_PREFIX = `readiness-test-${Date.now()}`;
    await resetDatabase(database);
    await broker('kafka-start.sh');
  });

  afterAll(async () => {
    await Promise.allSettled(started.map((app) => app.close()));
    await broker('kafka-stop.sh');
    if (brokersBefore === undefined) delete process.env.KAFKA_BROKERS;
    else process.env.KAFKA_BROKERS = brokersBefore;
  });

  it('an instance that caught up once stays ready when the broker goes away, and says the broker is down', async () => {
    const { app, url } = await startInstance(`127.0.0.1:${brokerPort}`);
    started.push(app);
    const ready = await eventually(async () => {
      const h = await probe(url, '/health');
      return h.status === 200 ? h : undefined;
    }, 'the instance ready with the broker up');
    expect(ready.body).toEqual({ status: 'ok', database: 'up', broker: 'up', revocations: 'caught-up' });

    await broker('kafka-stop.sh');

    expect(await probe(url, '/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
    const degraded = await eventually(async () => {
      const h = await probe(url, '/health');
      return h.body.broker === 'down' ? h : undefined;
    }, 'the broker seen down');
    expect(degraded).toEqual({
      status: 200,
      body: { status: 'ok', database: 'up', broker: 'down', revocations: 'caught-up' },
    });
  });

  it('an instance started where no broker listens is alive but not ready: it never read the revocations', async () => {
    const { app, url } = await startInstance('127.0.0.1:1');
    started.push(app);
    expect(await probe(url, '/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
    // The database is up and the broker down from the first probe on; give the list a while to be sure.
    for (let i = 0; i < 3; i++) {
      const h = await probe(url, '/health');
      expect(h.status).toBe(503);
      expect(h.body).toMatchObject({
        code: 'NOT_READY',
        details: { database: 'up', broker: 'down', revocations: 'catching-up' },
      });
      await new Promise((r) => setTimeout(r, 1_000));
    }
  });
});
