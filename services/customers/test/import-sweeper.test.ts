import { randomUUID } from 'node:crypto';
import { KEYED_RECORDS_TOPIC, keyedRecordsSchema } from '@thankstar/contracts';
import { DomainError } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportRepository } from '../src/csv/import.repository';
import { ImportJobsSweeper } from '../src/csv/import-jobs.sweeper';
import { eventually, type Harness, ok, startHarness } from './support';

const JOB = `query ($id: ID!) { importJob(id: $id) { id status dryRun rowsProcessed recordsKeyed errorCode errorMessage finishedAt } }`;

interface Job {
  id: string;
  status: string;
  rowsProcessed: number;
  recordsKeyed: number;
  errorCode: string | null;
  errorMessage: string | null;
  finishedAt: string | null;
}

/** A job as a process that died mid-import leaves it: RUNNING, heartbeat `ageSeconds` old. */
const insertRunning = (
  db: DataSource,
  tenantId: string,
  id: string,
  o: { dataEntry: boolean; dryRun: boolean; keyed: number; ageSeconds: number },
) =>
  db.query(
    `INSERT INTO import_jobs (tenant_id, id, status, dry_run, data_entry, encoding, rows_processed, created, records_keyed,
       created_by, started_at, updated_at)
     VALUES ($1, $2, 'RUNNING', $3, $4, 'UTF8', 4000, 4000, $5, 'u1', now() - make_interval(secs => $6 + 60),
       now() - make_interval(secs => $6))`,
    [tenantId, id, o.dryRun, o.dataEntry, o.keyed, o.ageSeconds],
  );

describe('import jobs left RUNNING by a dead process (real Postgres, real Kafka)', { timeout: 300_000 }, () => {
  let h: Harness;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const deadDataEntry = randomUUID();
  const deadDryRun = randomUUID();
  const deadOrdinary = randomUUID();
  const alive = randomUUID();
  const aliveB = randomUUID();
  let admin: string;
  let adminB: string;
  const job = async (token: string, id: string) =>
    (await ok<{ importJob: Job | null }>(h, token, JOB, { id })).importJob;
  const keyedEvents = () =>
    (h.seen.get(KEYED_RECORDS_TOPIC) ?? [])
      .map((m) => keyedRecordsSchema.parse(JSON.parse(m.value)))
      .filter((e) => e.tenantId === tenantA || e.tenantId === tenantB);

  beforeAll(async () => {
    h = await startHarness({
      beforeBoot: async (db) => {
        await insertRunning(db, tenantA, deadDataEntry, {
          dataEntry: true,
          dryRun: false,
          keyed: 4000,
          ageSeconds: 600,
        });
        await insertRunning(db, tenantA, deadDryRun, { dataEntry: true, dryRun: true, keyed: 0, ageSeconds: 600 });
        await insertRunning(db, tenantA, deadOrdinary, { dataEntry: false, dryRun: false, keyed: 0, ageSeconds: 600 });
        // Another replica's import, alive: its heartbeat is 5 s old.
        await insertRunning(db, tenantA, alive, { dataEntry: true, dryRun: false, keyed: 2000, ageSeconds: 5 });
        await insertRunning(db, tenantB, aliveB, { dataEntry: true, dryRun: false, keyed: 10, ageSeconds: 5 });
      },
    });
    admin = await h.sign({ tenantId: tenantA, roles: ['tenant-admin'] });
    adminB = await h.sign({ tenantId: tenantB, roles: ['tenant-admin'] });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('fails stale jobs on start with a clear message and reports their keyed records once', async () => {
    for (const id of [deadDataEntry, deadDryRun, deadOrdinary]) {
      const j = await job(admin, id);
      expect(j).toMatchObject({ status: 'FAILED', errorCode: 'IMPORT_INTERRUPTED', rowsProcessed: 4000 });
      expect(j?.errorMessage).toMatch(/service running it stopped/);
      expect(j?.finishedAt).not.toBeNull();
    }
    expect(await job(admin, alive)).toMatchObject({ status: 'RUNNING', errorCode: null });
    expect(await job(adminB, aliveB)).toMatchObject({ status: 'RUNNING' });
    // The data-entry job's 4,000 saved records go to billing; the dry run and the ordinary import send nothing.
    const events = await eventually('keyed-records event of the dead job', () => {
      const e = keyedEvents();
      return e.length > 0 ? e : undefined;
    });
    expect(
      events.map((e) => [e.tenantId, e.payload.importJobId, e.payload.records, e.payload.outcome, e.payload.errorCode]),
    ).toEqual([[tenantA, deadDataEntry, 4000, 'FAILED', 'IMPORT_INTERRUPTED']]);
    // A second sweep (another replica, the next tick) changes nothing and sends nothing.
    expect(await h.app.get(ImportJobsSweeper).sweep()).toEqual([]);
  });

  it('fails a job once its heartbeat stops; its process can then commit no further chunk', async () => {
    const db = h.app.get(DataSource);
    await db.query(
      `UPDATE import_jobs SET updated_at = now() - interval '10 minutes' WHERE tenant_id = $1 AND id = $2`,
      [tenantA, alive],
    );
    const failed = await h.app.get(ImportJobsSweeper).sweep();
    expect(failed.map((j) => j.id)).toEqual([alive]);
    expect(await job(admin, alive)).toMatchObject({
      status: 'FAILED',
      errorCode: 'IMPORT_INTERRUPTED',
      recordsKeyed: 2000,
    });
    // Tenant B's live job is not touched by A's sweep.
    expect(await job(adminB, aliveB)).toMatchObject({ status: 'RUNNING' });
    // The import was only slow, not dead: its next chunk finds the job failed and rolls back.
    const jobs = h.app.get(ImportRepository);
    const next = { bytesRead: 1, rowsProcessed: 6000, created: 6000, updated: 0, rejected: 0, recordsKeyed: 4000 };
    const err = await db.transaction((m) => jobs.chunkCommitted(m, tenantA, alive, next)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('IMPORT_INTERRUPTED');
    expect(await job(admin, alive)).toMatchObject({ rowsProcessed: 4000, recordsKeyed: 2000 });
    // Nor can it close the job again and report it twice: its finish writes no outbox row (one snapshot, so the
    // relay publishing meanwhile does not change the count).
    const enqueued = await db.transaction('REPEATABLE READ', async (m) => {
      const count = async () =>
        Number(
          (
            await m.query(
              `SELECT count(*) AS n FROM outbox WHERE topic = $1 AND (value::jsonb -> 'payload' ->> 'importJobId') = $2`,
              [KEYED_RECORDS_TOPIC, alive],
            )
          )[0].n,
        );
      const before = await count();
      await jobs.finish(m, tenantA, alive, next, null);
      return (await count()) - before;
    });
    expect(enqueued).toBe(0);
    expect(await job(admin, alive)).toMatchObject({ status: 'FAILED', rowsProcessed: 4000 });
    await eventually('keyed-records event of the slow job', () =>
      keyedEvents().some((e) => e.payload.importJobId === alive) ? true : undefined,
    );
    expect(
      keyedEvents()
        .map((e) => e.payload.importJobId)
        .sort(),
    ).toEqual([deadDataEntry, alive].sort());
  });
});
