import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { POPUPS_TOPIC, type PopupClass, popupSchema } from '@thankstar/contracts';
import { dataSourceOptions, KafkaJsBus, kafkaBrokersFromEnv, platformTopics } from '@thankstar/platform';
import { resetDatabase } from '@thankstar/platform/testing';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { database } from '../src/database';
import { seedDemo } from '../src/seed/demo';
import { eventually, startGroupsAtEnd } from './support';

/**
 * The built service (dist/, from `tsc -b`) runs as a child process and is killed with SIGKILL
 * at random points while popups flow; after each restart it resumes from the committed offsets.
 * The rated calls must come out exactly as from an uninterrupted run.
 */
const main = join(__dirname, '../dist/src/main.js');
const prefix = `billing-crash-${randomUUID()}`;
const tenantId = randomUUID();
let db: DataSource;
let bus: KafkaJsBus;
let child: ChildProcess | undefined;

beforeAll(async () => {
  if (!existsSync(main)) throw new Error(`build billing first (npx tsc -b services/billing): ${main} is missing`);
  await resetDatabase(database);
  db = new DataSource(dataSourceOptions(database));
  await db.initialize();
  await db.transaction((m) => seedDemo(m));
  await db.query(
    `INSERT INTO contracts (tenant_id, recipient_name, plan_version_id, service_start_date, list_input, status, event_version)
     SELECT $1, '株式会社クラッシュ', v.id, '2026-04-01', 'per-popup', 'active', 1
       FROM plan_versions v JOIN plans p ON p.id = v.plan_id WHERE p.code = 'CLOUD' AND v.version = 1`,
    [tenantId],
  );
  bus = new KafkaJsBus({ clientId: 'billing-crash-writer', brokers: kafkaBrokersFromEnv() });
  await bus.ensureTopics(platformTopics);
  // The groups start at the end of the topics, so only this test's popups are rated.
  await startGroupsAtEnd(prefix);
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await bus?.close();
  await db?.destroy();
});

function startService(): ChildProcess {
  return spawn(process.execPath, [main], {
    env: {
      ...process.env,
      PORT: '0',
      KAFKA_GROUP_PREFIX: prefix,
      BILLING_SCHEDULER: 'off',
      LOG_LEVEL: 'silent',
      // Small batches, so the kills land between batches and inside them (a batch committed in
      // Postgres whose offsets were not yet committed is replayed after the restart).
      BILLING_RATING_BATCH: '50',
    },
    stdio: 'ignore',
  });
}

const rated = async () =>
  (
    await db.query(
      `SELECT count(*)::int AS n, coalesce(sum(amount_yen), 0)::int AS yen,
              count(*) FILTER (WHERE class = 'EMPLOYEE')::int AS employees
         FROM rated_calls WHERE tenant_id = $1 AND call_id <> 'crash-marker'`,
      [tenantId],
    )
  )[0] as { n: number; yen: number; employees: number };

describe('exactly once across crashes', () => {
  it('kills the service at random points while popups flow; the rated calls match an uninterrupted run', async () => {
    const calls = 1_200;
    const classOf = (i: number): PopupClass => (i % 10 === 0 ? 'EMPLOYEE' : i % 25 === 1 ? 'NUISANCE' : 'CUSTOMER');
    const events = Array.from({ length: calls }, (_, i) => {
      const rangAt = new Date(Date.parse('2026-04-16T10:00:00+09:00') + i * 1000).toISOString();
      return popupSchema.parse({
        id: randomUUID(),
        type: 'customers.popup',
        tenantId,
        occurredAt: rangAt,
        payload: {
          popupId: randomUUID(),
          callId: `crash-${i}`,
          class: classOf(i),
          caller: {
            raw: '0312345678',
            e164: '+81312345678',
            display: '03-1234-5678',
            valid: true,
            withheldReason: null,
          },
          lineLabel: null,
          rangAt,
          customer: null,
          candidates: [],
          purchases: [],
          purchaseTotals: null,
          interactions: [],
          notesAllowed: classOf(i) !== 'NUISANCE',
        },
      });
    });
    // Every 7th event is sent twice (a producer retry) and every 11th call pops a second time.
    const stream = events.flatMap((e, i) => {
      const out: unknown[] = [e];
      if (i % 7 === 0) out.push(e);
      if (i % 11 === 0) out.push({ ...e, id: randomUUID(), payload: { ...e.payload, popupId: randomUUID() } });
      return out;
    });
    for (let i = 0; i < stream.length; i += 500) {
      await bus.publish(
        stream.slice(i, i + 500).map((value) => ({ topic: POPUPS_TOPIC, key: tenantId, value: JSON.stringify(value) })),
      );
    }

    // By hand: 120 employees (i % 10 = 0) × (15 + 5) = 2,400; nuisance i % 25 = 1 and i % 10 ≠ 0:
    // 48 calls × 0; the other 1,032 customers × (30 + 5) = 36,120. Total 38,520 yen.
    const expected = { n: calls, yen: 38_520, employees: 120 };

    let kills = 0;
    const ratedAtKills: number[] = [];
    for (const killAt of [150 + Math.floor(Math.random() * 250), 500 + Math.floor(Math.random() * 300)]) {
      child = startService();
      await eventually(async () => ((await rated()).n >= killAt ? true : undefined), `${killAt} rated calls`, 120_000);
      // Listen before the kill: the exit can come while the count below is being read.
      const exited = new Promise((r) => child?.once('exit', r));
      child.kill('SIGKILL');
      kills++;
      ratedAtKills.push((await rated()).n);
      await exited;
    }
    child = startService();
    await eventually(async () => ((await rated()).n >= calls ? true : undefined), 'every call rated', 180_000);
    // Let the tail of the stream (duplicates of already-rated calls) pass, then compare: a
    // marker call published after everything else on the tenant's partition.
    const marker = popupSchema.parse({
      ...events[0],
      id: randomUUID(),
      payload: { ...events[0]?.payload, popupId: randomUUID(), callId: 'crash-marker' },
    });
    await bus.publish([{ topic: POPUPS_TOPIC, key: tenantId, value: JSON.stringify(marker) }]);
    await eventually(
      async () => {
        const [row] = await db.query(`SELECT 1 FROM rated_calls WHERE tenant_id = $1 AND call_id = 'crash-marker'`, [
          tenantId,
        ]);
        return row ? true : undefined;
      },
      'the marker call',
      120_000,
    );
    expect(kills).toBe(2);
    // The kills landed mid-stream (not after everything was rated already).
    expect(Math.min(...ratedAtKills)).toBeLessThan(calls);
    expect(await rated()).toEqual(expected);
  }, 600_000);
});
