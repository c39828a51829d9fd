import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { CallEventKind } from '@thankstar/contracts';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallEventWriter } from '../src/calls/call-event-writer';
import { callNumberOf } from '../src/calls/call-number';
import type { IncomingCallEvent } from '../src/calls/incoming-call-event';
import { consumeCallEvents, createKey, eventually, postSigned, ringBody, startTelephony } from './harness';

/**
 * Events are written in batches (group commit). These tests post many events at once, so
 * batches really hold several events, several calls and repeats, and check that nothing
 * differs from one transaction per event.
 */
describe('group commit of call events', () => {
  let app: INestApplication;
  let url: string;
  let consumer: Awaited<ReturnType<typeof consumeCallEvents>>;
  const tenant = randomUUID();
  let key: { keyId: string; secret: string };
  const eventsOf = (callId: string) => consumer.events.filter((e) => e.payload.callId === callId);
  const count = async (sql: string, params: unknown[]) => {
    const rows: { n: string }[] = await app.get(DataSource).query(sql, params);
    return Number(rows[0]?.n);
  };

  beforeAll(async () => {
    ({ app, url } = await startTelephony());
    key = await createKey(app, tenant);
    consumer = await consumeCallEvents([tenant]);
  });

  afterAll(async () => {
    await consumer?.stop();
    await app?.close();
  });

  it('stores and publishes an event posted 20 times at once exactly once, and answers every post 202', async () => {
    const callId = randomUUID();
    const base = Date.now();
    const ring = JSON.stringify(ringBody(callId, { occurredAt: new Date(base).toISOString() }));
    const answer = JSON.stringify(
      ringBody(callId, { event: 'answered', extension: '201', occurredAt: new Date(base + 1000).toISOString() }),
    );
    const posts = await Promise.all([
      ...Array.from({ length: 20 }, () => postSigned(url, key, null, { rawBody: ring })),
      ...Array.from({ length: 20 }, () => postSigned(url, key, null, { rawBody: answer })),
    ]);
    expect(posts.map((p) => p.status)).toEqual(Array(40).fill(202));
    expect(await count('SELECT count(*) AS n FROM calls WHERE tenant_id = $1 AND call_id = $2', [tenant, callId])).toBe(
      1,
    );
    expect(
      await count(
        'SELECT count(*) AS n FROM call_events e JOIN calls c ON c.id = e.call_id WHERE c.tenant_id = $1 AND c.call_id = $2',
        [tenant, callId],
      ),
    ).toBe(2);
    await eventually(() => eventsOf(callId).length >= 2, 'both events');
    // Anything published twice would have arrived by the time a later call's event does.
    const marker = randomUUID();
    expect((await postSigned(url, key, ringBody(marker))).status).toBe(202);
    await eventually(() => eventsOf(marker).length > 0, 'a later event');
    expect(eventsOf(callId).map((e) => e.payload.event)).toEqual(['ringing', 'answered']);
    const [row]: { status: string; extension: string }[] = await app
      .get(DataSource)
      .query('SELECT status, extension FROM calls WHERE tenant_id = $1 AND call_id = $2', [tenant, callId]);
    expect(row).toEqual({ status: 'answered', extension: '201' });
  });

  it('keeps each call in order while 40 calls are played at once', async () => {
    const kinds: CallEventKind[] = ['ringing', 'answered', 'transferred', 'ended'];
    const calls = Array.from({ length: 40 }, () => randomUUID());
    const base = Date.now();
    await Promise.all(
      calls.map(async (callId) => {
        for (const [i, kind] of kinds.entries()) {
          const body = ringBody(callId, {
            event: kind,
            extension: kind === 'transferred' ? '305' : '201',
            occurredAt: new Date(base + i * 1000).toISOString(),
          });
          expect((await postSigned(url, key, body)).status).toBe(202);
        }
      }),
    );
    await eventually(() => calls.every((c) => eventsOf(c).length >= kinds.length), 'every call event', 60_000);
    for (const callId of calls) {
      const events = eventsOf(callId);
      expect(events.map((e) => e.payload.event)).toEqual(kinds);
      // The caller stays the caller, also on the transfer.
      expect(new Set(events.map((e) => e.payload.from.raw))).toEqual(new Set(['090-1111-2222']));
    }
    const statuses: { status: string }[] = await app
      .get(DataSource)
      .query('SELECT status FROM calls WHERE tenant_id = $1 AND call_id = ANY($2::text[])', [tenant, calls]);
    expect(statuses.map((s) => s.status)).toEqual(Array(40).fill('ended'));
  });

  it('fails only the event the database refuses, not the others in its batch', async () => {
    const writer = app.get(CallEventWriter);
    const from = callNumberOf('090-1111-2222', 'caller');
    const to = callNumberOf('03-1234-5678', 'line');
    if (!from || !to) throw new Error('test numbers must parse');
    const event = (callId: string): IncomingCallEvent => ({
      callId,
      kind: 'ringing',
      from,
      to,
      occurredAt: new Date(),
      extension: null,
      operatorId: null,
    });
    const good = Array.from({ length: 10 }, () => randomUUID());
    // Postgres text cannot hold NUL: this event fails inside the batch's transaction.
    const bad = `bad-\u0000-${randomUUID()}`;
    const results = await Promise.allSettled([
      ...good.slice(0, 5).map((c) => writer.write(tenant, 'webhook', event(c))),
      writer.write(tenant, 'webhook', event(bad)),
      ...good.slice(5).map((c) => writer.write(tenant, 'webhook', event(c))),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      ...Array(5).fill('fulfilled'),
      'rejected',
      ...Array(5).fill('fulfilled'),
    ]);
    expect(
      await count('SELECT count(*) AS n FROM calls WHERE tenant_id = $1 AND call_id = ANY($2::text[])', [tenant, good]),
    ).toBe(10);
    await eventually(() => good.every((c) => eventsOf(c).length === 1), 'the good events');
  });
});
