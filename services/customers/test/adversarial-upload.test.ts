import { randomUUID } from 'node:crypto';
import { type ClientRequest, request } from 'node:http';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, ok, startHarness } from './support';

const HEADER = '顧客ID,氏名,電話番号\r\n';
const JOB = 'query ($id: ID!) { importJob(id: $id) { status bytesRead rowsProcessed errorCode } }';

interface Answer {
  status: number;
  body: { code?: string; message?: string; created?: number };
}

/**
 * The slow-upload attack: POST /v1/customers/import (a dry run), send the header line, then
 * nothing. node:http, not fetch: it hands over the response as soon as the server answers, while
 * the request body is still "being sent".
 */
function stalledUpload(base: string, token: string, jobId: string): { answer: Promise<Answer>; req: ClientRequest } {
  const url = new URL(`${base}/v1/customers/import?encoding=UTF8&dryRun=true&jobId=${jobId}`);
  let req!: ClientRequest;
  const answer = new Promise<Answer>((resolve, reject) => {
    req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.write(HEADER);
  });
  return { answer, req };
}

// Generous: the suite shares a 2-core machine with every other suite. The idle timeout is shortened
// for the test (30 s in production); what is asserted is the outcome, not how fast it came.
describe('hostile neighbours: slow uploads cannot exhaust the pool (real Postgres)', { timeout: 300_000 }, () => {
  let h: Harness;
  let base: string;
  let db: DataSource;
  const attackers = Array.from({ length: 6 }, () => randomUUID());
  const victim = randomUUID();
  let attackerTokens: string[];
  let victimToken: string;
  const saved = { idle: process.env.IMPORT_IDLE_TIMEOUT_MS, pool: process.env.DB_POOL_SIZE };

  beforeAll(async () => {
    process.env.IMPORT_IDLE_TIMEOUT_MS = '10000';
    process.env.DB_POOL_SIZE = '10';
    h = await startHarness();
    base = h.url.replace(/\/graphql$/, '');
    db = h.app.get(DataSource);
    attackerTokens = await Promise.all(attackers.map((tenantId) => h.sign({ tenantId, roles: ['tenant-admin'] })));
    victimToken = await h.sign({ tenantId: victim, roles: ['tenant-admin', 'operator'] });
    await ok(
      h,
      victimToken,
      'mutation { createCustomer(input: { name: "被害 花子", phones: [{ number: "0312340000" }] }) { id } }',
    );
  });

  afterAll(async () => {
    process.env.IMPORT_IDLE_TIMEOUT_MS = saved.idle;
    process.env.DB_POOL_SIZE = saved.pool;
    await h?.close();
  });

  it('12 stalled uploads hold no connection and no lock; others are served; a third per tenant is refused; idle ones time out', async () => {
    // Six tenants open two stalled dry-run uploads each: more than the pool's ten connections.
    const open = attackerTokens.flatMap((token, t) =>
      [0, 1].map(() => {
        const jobId = randomUUID();
        return { token, tenant: attackers[t] as string, jobId, ...stalledUpload(base, token, jobId) };
      }),
    );
    const settled = new Set<string>();
    for (const u of open) void u.answer.then(() => settled.add(u.jobId));
    // Every one is admitted and has sent its header: RUNNING, the bytes counted, no row processed.
    for (const u of open) {
      const job = await eventually(`job ${u.jobId} receiving`, async () => {
        const j = (
          await ok<{ importJob: { status: string; bytesRead: number } | null }>(h, u.token, JOB, { id: u.jobId })
        ).importJob;
        return j && j.bytesRead > 0 ? j : undefined;
      });
      expect(job).toMatchObject({ status: 'RUNNING', bytesRead: Buffer.byteLength(HEADER), rowsProcessed: 0 });
    }

    // While they are open: no transaction is left open and no advisory lock is held for them...
    // (A transaction waiting on a stalled upload would sit idle for seconds; the service's own
    // background work — consumers, the webhook worker — may be between two statements of a short
    // transaction at the instant of the sample, so only one idle for over a second counts.)
    const [{ idle }] = await db.query(
      `SELECT count(*)::int AS idle FROM pg_stat_activity WHERE datname = current_database()
          AND state LIKE 'idle in transaction%' AND now() - state_change > interval '1 second'`,
    );
    const [{ locks }] = await db.query(
      `SELECT count(*)::int AS locks FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND d.datname = current_database()`,
    );
    expect({ idle, locks }).toEqual({ idle: 0, locks: 0 });
    // ...another tenant's search answers with its customer...
    const found = await ok<{ customers: { items: { name: string }[] } }>(
      h,
      victimToken,
      '{ customers(search: { phone: "03-1234-0000" }) { items { name } } }',
    );
    expect(found.customers.items.map((c) => c.name)).toEqual(['被害 花子']);
    // ...and can even import (its own lock is free, the pool has room).
    const csv = Buffer.from(`${HEADER}V1,被害 次郎,0312340001\r\n`).toString('base64');
    const imported = await ok<{ importCustomersCsv: { created: number } }>(
      h,
      victimToken,
      'mutation ($input: CustomerImportInput!) { importCustomersCsv(input: $input) { created } }',
      { input: { contentBase64: csv, encoding: 'UTF8', dryRun: false } },
    );
    expect(imported.importCustomersCsv.created).toBe(1);
    // A third upload of an attacking tenant is refused at once, with its code.
    const third = stalledUpload(base, attackerTokens[0] as string, randomUUID());
    const refused = await third.answer;
    third.req.destroy();
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('IMPORT_CONCURRENCY_LIMIT');
    expect(refused.body.message).toContain('2件まで');
    // All of this happened while the twelve were still open.
    expect(settled.size).toBe(0);

    // No byte for the idle limit: each stalled upload is answered 408 and its job FAILED with the code.
    const answers = await Promise.all(open.map((u) => u.answer));
    for (const u of open) u.req.destroy();
    expect(answers.map((a) => [a.status, a.body.code])).toEqual(open.map(() => [408, 'IMPORT_UPLOAD_TIMEOUT']));
    for (const u of open) {
      const j = (await ok<{ importJob: { status: string; errorCode: string } }>(h, u.token, JOB, { id: u.jobId }))
        .importJob;
      expect(j).toMatchObject({ status: 'FAILED', errorCode: 'IMPORT_UPLOAD_TIMEOUT' });
    }
    // The slots are free again: the same tenant's next (complete) upload goes through.
    const res = await fetch(`${base}/v1/customers/import?encoding=UTF8&dryRun=false`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${attackerTokens[0]}` },
      body: `${HEADER}A1,攻撃 一郎,0312349999\r\n`,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { created: number }).created).toBe(1);
  });
});
