import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeCallEvents, createKey, eventually, postSigned, ringBody, startTelephony } from './harness';

/** A TCP port with nothing listening: a broker that is down. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 1;
}

describe('accepted means stored: the broker is down, then back', () => {
  let app: INestApplication | undefined;
  let consumer: Awaited<ReturnType<typeof consumeCallEvents>>;
  const tenant = randomUUID();
  const brokers = process.env.KAFKA_BROKERS;

  beforeAll(async () => {
    consumer = await consumeCallEvents([tenant]);
  });

  afterAll(async () => {
    if (brokers === undefined) delete process.env.KAFKA_BROKERS;
    else process.env.KAFKA_BROKERS = brokers;
    await consumer?.stop();
    await app?.close();
  });

  it('answers 202 for 200 events while Kafka is unreachable and publishes all of them exactly once, in order per call, when it is back', async () => {
    process.env.KAFKA_BROKERS = `127.0.0.1:${await deadPort()}`;
    const down = await startTelephony();
    app = down.app;
    const key = await createKey(down.app, tenant);
    const calls = Array.from({ length: 50 }, () => randomUUID());
    const kinds = ['ringing', 'answered', 'transferred', 'ended'] as const;
    const base = Date.now();
    for (const [i, kind] of kinds.entries()) {
      for (const callId of calls) {
        const occurredAt = new Date(base + i * 1000).toISOString();
        const res = await postSigned(
          down.url,
          key,
          ringBody(callId, { event: kind, occurredAt, extension: kind === 'transferred' ? '305' : '201' }),
        );
        expect(res.status).toBe(202);
      }
    }
    const waiting: { n: string }[] = await down.app.get(DataSource).query('SELECT count(*) AS n FROM outbox');
    expect(Number(waiting[0]?.n)).toBe(200);
    expect(consumer.events).toEqual([]);
    await down.app.close();

    if (brokers === undefined) delete process.env.KAFKA_BROKERS;
    else process.env.KAFKA_BROKERS = brokers;
    const up = await startTelephony({ reset: false, auth: down.auth });
    app = up.app;
    await eventually(() => consumer.events.length >= 200, 'all 200 events', 60_000);
    const left: { n: string }[] = await up.app.get(DataSource).query('SELECT count(*) AS n FROM outbox');
    expect(Number(left[0]?.n)).toBe(0);
    expect(new Set(consumer.events.map((e) => e.id)).size).toBe(200);
    expect(consumer.events).toHaveLength(200);
    for (const callId of calls) {
      expect(consumer.events.filter((e) => e.payload.callId === callId).map((e) => e.payload.event)).toEqual([
        ...kinds,
      ]);
    }
  });
});
