import { randomUUID } from 'node:crypto';
import { KEYED_RECORDS_TOPIC, keyedRecordsSchema } from '@thankstar/contracts';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG, type CustomersConfig } from '../src/config';
import { eventually, type Harness, ok, startHarness } from './support';

interface Report {
  jobId: string;
  dryRun: boolean;
  created: number;
  updated: number;
  rejected: number;
  recordsKeyed: number;
  rows: { line: number; action: string; externalId: string | null; problems: string[] }[];
}
interface Job {
  id: string;
  status: string;
  dryRun: boolean;
  dataEntry: boolean;
  bytesTotal: number | null;
  bytesRead: number;
  rowsProcessed: number;
  created: number;
  updated: number;
  rejected: number;
  recordsKeyed: number;
  errorCode: string | null;
}
const JOB = `query ($id: ID!) { importJob(id: $id) { id status dryRun dataEntry bytesTotal bytesRead rowsProcessed created updated rejected recordsKeyed errorCode } }`;

const header = '顧客ID,氏名,フリガナ,携帯,郵便番号,都道府県,市区町村,番地,タグ,メモ';
const row = (i: number, prefix = 'U') =>
  `${prefix}${i},取込 ${i},トリコミ ${i},090${String(20_000_000 + i).slice(-8)},150-0001,東京都,渋谷区,神宮前${i},${i % 7 === 0 ? 'VIP' : ''},①取込テスト`;
const rows = (n: number, prefix = 'U') => Array.from({ length: n }, (_, i) => row(i, prefix));
const sjis = (lines: string[]) => iconv.encode([header, ...lines].join('\r\n'), 'cp932');

// Generous: these suites share a 2-core machine with every other suite, and nothing here is timed.
describe('CSV upload endpoint, import jobs and progress (real Postgres)', { timeout: 300_000 }, () => {
  let h: Harness;
  let base: string;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  let admin: string;
  let adminB: string;
  let operator: string;

  const upload = async (
    token: string | null,
    body: BodyInit,
    query: string,
    headers: Record<string, string> = { 'content-type': 'text/csv' },
  ) => {
    const res = await fetch(`${base}/v1/customers/import?${query}`, {
      method: 'POST',
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
      // biome-ignore lint/suspicious/noExplicitAny: undici needs duplex for a streamed body
      ...({ duplex: 'half' } as any),
    });
    return { status: res.status, body: (await res.json()) as Report & { code?: string; message?: string } };
  };
  const job = async (token: string, id: string) =>
    (await ok<{ importJob: Job | null }>(h, token, JOB, { id })).importJob;
  const total = async (token: string) =>
    (await ok<{ customers: { total: number } }>(h, token, '{ customers { total } }')).customers.total;

  beforeAll(async () => {
    h = await startHarness();
    base = h.url.replace(/\/graphql$/, '');
    admin = await h.sign({ tenantId: tenantA, roles: ['tenant-admin', 'operator'] });
    adminB = await h.sign({ tenantId: tenantB, roles: ['tenant-admin', 'operator'] });
    operator = await h.sign({ tenantId: tenantA });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('imports a file larger than the GraphQL body limit as a stream, and records the job', async () => {
    const file = sjis(rows(5_000));
    expect(file.length).toBeGreaterThan(256 * 1024);
    const first = await upload(admin, file, 'encoding=SHIFT_JIS');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ dryRun: false, created: 5_000, updated: 0, rejected: 0, recordsKeyed: 0 });
    expect(await total(admin)).toBe(5_000);
    expect(await job(admin, first.body.jobId)).toMatchObject({
      status: 'SUCCEEDED',
      bytesTotal: file.length,
      bytesRead: file.length,
      rowsProcessed: 5_000,
      created: 5_000,
      errorCode: null,
    });
    const stamp = async () =>
      (
        await ok<{ customers: { items: { updatedAt: string }[] } }>(
          h,
          admin,
          '{ customers(search: { phone: "090-2000-4997" }) { items { updatedAt } } }',
        )
      ).customers.items[0]?.updatedAt;
    const before = await stamp();
    // Idempotent by 顧客ID: the same file again matches every row, rewrites none and adds no number twice.
    const again = await upload(admin, file, 'encoding=SHIFT_JIS');
    expect(again.body).toMatchObject({ created: 0, updated: 5_000, rejected: 0 });
    expect(await total(admin)).toBe(5_000);
    const found = await ok<{ customers: { items: { name: string; phones: { raw: string }[]; tags: string[] }[] } }>(
      h,
      admin,
      '{ customers(search: { phone: "090-2000-4997" }) { items { name phones { raw } tags } } }',
    );
    expect(found.customers.items).toEqual([{ name: '取込 4997', phones: [{ raw: '09020004997' }], tags: [] }]);
    expect(await stamp()).toBe(before);
  });

  it('shows the bytes received while the upload is still arriving, and processes the file once it is all in', async () => {
    const jobId = randomUUID();
    const firstPart = sjis(rows(2_500, 'P'));
    const rest = iconv.encode(`\r\n${rows(1_000, 'Q').join('\r\n')}`, 'cp932');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new Uint8Array(firstPart));
        await gate;
        controller.enqueue(new Uint8Array(rest));
        controller.close();
      },
    });
    const before = await total(admin);
    const pending = upload(admin, body, `encoding=SHIFT_JIS&jobId=${jobId}`);
    // The upload is spooled to disk first (no connection or lock is held while the client sends):
    // the bytes received show, no row is processed until the whole file is in.
    const midway = await eventually('bytes of the first part', async () => {
      const j = await job(admin, jobId);
      return j && j.bytesRead >= firstPart.length ? j : undefined;
    });
    expect(midway).toMatchObject({ status: 'RUNNING', rowsProcessed: 0, created: 0, bytesTotal: null });
    expect(midway.bytesRead).toBe(firstPart.length);
    expect(await total(admin)).toBe(before);
    release();
    const done = await pending;
    expect(done.body).toMatchObject({ jobId, created: 3_500, rejected: 0 });
    expect(await job(admin, jobId)).toMatchObject({ status: 'SUCCEEDED', rowsProcessed: 3_500 });
    const listed = await ok<{ importJobs: { id: string }[] }>(h, admin, '{ importJobs(limit: 10) { id } }');
    expect(listed.importJobs.map((j) => j.id)).toContain(jobId);
  });

  it('answers bad requests with 4xx {code, message}', async () => {
    const small = sjis(rows(3));
    const cases: [string | null, BodyInit, string, Record<string, string> | undefined, number, string][] = [
      [null, small, 'encoding=SHIFT_JIS', undefined, 401, 'UNAUTHENTICATED'],
      ['bad-token', small, 'encoding=SHIFT_JIS', undefined, 401, 'UNAUTHENTICATED'],
      [operator, small, 'encoding=SHIFT_JIS', undefined, 403, 'FORBIDDEN'],
      [
        admin,
        small,
        'encoding=SHIFT_JIS',
        { 'content-type': 'multipart/form-data; boundary=x' },
        415,
        'CSV_CONTENT_TYPE',
      ],
      [admin, small, 'encoding=SHIFT_JIS', { 'content-type': 'application/json' }, 400, 'BAD_REQUEST'],
      [admin, small, 'encoding=EBCDIC', undefined, 400, 'INVALID_IMPORT_OPTIONS'],
      [admin, small, 'encoding=SHIFT_JIS&dryRun=maybe', undefined, 400, 'INVALID_IMPORT_OPTIONS'],
      [admin, small, 'encoding=SHIFT_JIS&mapping=[1]', undefined, 400, 'INVALID_IMPORT_OPTIONS'],
      [admin, small, 'encoding=SHIFT_JIS&jobId=not-a-uuid', undefined, 400, 'INVALID_IMPORT_JOB_ID'],
      [admin, small, 'encoding=UTF8', undefined, 400, 'CSV_ENCODING'],
      [admin, Buffer.from('電話\n0311112222'), 'encoding=UTF8', undefined, 400, 'CSV_COLUMNS'],
      [admin, Buffer.from('氏名\n"unterminated'), 'encoding=UTF8', undefined, 400, 'CSV_UNREADABLE'],
      [admin, Buffer.alloc(0), 'encoding=UTF8', undefined, 400, 'CSV_EMPTY'],
    ];
    for (const [token, body, query, headers, status, code] of cases) {
      const r = await upload(token === 'bad-token' ? 'x.y.z' : token, body, query, headers);
      expect([query, r.status, r.body.code]).toEqual([query, status, code]);
      expect(typeof r.body.message).toBe('string');
    }
    const jobId = randomUUID();
    expect((await upload(admin, small, `encoding=SHIFT_JIS&dryRun=true&jobId=${jobId}`)).status).toBe(200);
    const twice = await upload(admin, small, `encoding=SHIFT_JIS&dryRun=true&jobId=${jobId}`);
    expect([twice.status, twice.body.code]).toEqual([409, 'IMPORT_JOB_EXISTS']);
    const failed = await upload(admin, Buffer.from('電話\n0311112222'), `encoding=UTF8&jobId=${randomUUID()}`);
    expect(failed.status).toBe(400);
  });

  it('refuses a body over the size limit, declared or streamed', async () => {
    // The running app's configuration (the upload endpoint reads its limit at every request).
    const config = h.app.get<CustomersConfig>(CONFIG);
    const before = config.CUSTOMERS_IMPORT_MAX_BYTES;
    config.CUSTOMERS_IMPORT_MAX_BYTES = 64 * 1024;
    try {
      const big = sjis(rows(2_000, 'BIG'));
      const declared = await upload(admin, big, 'encoding=SHIFT_JIS');
      expect([declared.status, declared.body.code]).toEqual([413, 'CSV_TOO_LARGE']);
      const jobId = randomUUID();
      const streamed = await upload(
        admin,
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < big.length; i += 16 * 1024)
              controller.enqueue(new Uint8Array(big.subarray(i, i + 16 * 1024)));
            controller.close();
          },
        }),
        `encoding=SHIFT_JIS&dryRun=true&jobId=${jobId}`,
      );
      expect([streamed.status, streamed.body.code]).toEqual([413, 'CSV_TOO_LARGE']);
      expect(await job(admin, jobId)).toMatchObject({ status: 'FAILED', errorCode: 'CSV_TOO_LARGE' });
    } finally {
      config.CUSTOMERS_IMPORT_MAX_BYTES = before;
    }
    expect(await total(admin)).toBe(8_500);
  });

  it('dry run reports row-level errors and writes nothing; a repeated 顧客ID updates the earlier row', async () => {
    const lines = [
      row(1, 'D'),
      'D2,,ナマエナシ,,,,,,,',
      'D3,鈴木 一郎,スズキ イチロウ,abc,,,,,,',
      row(1, 'D').replace('取込 1', '取込 一'),
    ];
    const dry = await upload(admin, sjis(lines), 'encoding=SHIFT_JIS&dryRun=true');
    expect(dry.body).toMatchObject({ dryRun: true, created: 1, updated: 1, rejected: 2 });
    expect(dry.body.rows.map((r) => [r.line, r.action, r.externalId])).toEqual([
      [2, 'CREATE', 'D1'],
      [3, 'REJECT', 'D2'],
      [4, 'REJECT', 'D3'],
      [5, 'UPDATE', 'D1'],
    ]);
    expect(dry.body.rows[1]?.problems).toEqual(['顧客名を入力してください。']);
    expect(dry.body.rows[2]?.problems).toEqual(['「abc」は電話番号ではありません。']);
    expect(await total(admin)).toBe(8_500);
    expect(await job(admin, dry.body.jobId)).toMatchObject({ status: 'SUCCEEDED', dryRun: true, rowsProcessed: 4 });
    const real = await upload(admin, sjis(lines), 'encoding=SHIFT_JIS');
    expect(real.body).toMatchObject({ created: 1, updated: 1, rejected: 2 });
    const d1 = await ok<{ customers: { items: { name: string; externalId: string }[] } }>(
      h,
      admin,
      '{ customers(search: { text: "取込一" }) { items { name externalId } } }',
    );
    expect(d1.customers.items).toEqual([{ name: '取込 一', externalId: 'D1' }]);
    expect(await total(admin)).toBe(8_501);
  });

  it('counts records keyed by data-entry imports (not dry runs, not ordinary imports, not unchanged rows) and sends them to billing', async () => {
    // What each data-entry import keyed (the month it is billed in is billing's rule:
    // billing's keyedRecords query, tested in services/billing/test/keyed-records.test.ts).
    const keyed = async (token: string) =>
      (
        await ok<{ importJobs: { dataEntry: boolean; dryRun: boolean; recordsKeyed: number }[] }>(
          h,
          token,
          '{ importJobs(limit: 100) { dataEntry dryRun recordsKeyed } }',
        )
      ).importJobs
        .filter((j) => j.dataEntry && !j.dryRun)
        .reduce((n, j) => n + j.recordsKeyed, 0);
    const keyedEvents = (tenantId: string) =>
      (h.seen.get(KEYED_RECORDS_TOPIC) ?? [])
        .map((m) => ({ key: m.key, event: keyedRecordsSchema.parse(JSON.parse(m.value)) }))
        .filter((e) => e.event.tenantId === tenantId);
    expect(await keyed(admin)).toBe(0);
    const dry = await upload(admin, sjis(rows(10, 'K')), 'encoding=SHIFT_JIS&dryRun=true&dataEntry=true');
    expect(dry.body.recordsKeyed).toBe(0);
    const real = await upload(admin, sjis(rows(10, 'K')), 'encoding=SHIFT_JIS&dataEntry=true');
    expect(real.body).toMatchObject({ created: 10, recordsKeyed: 10 });
    // The same rows again, unchanged: they upsert (UPDATE) but nobody keyed anything.
    const same = await ok<{ importCustomersCsv: Report }>(
      h,
      admin,
      'mutation ($input: CustomerImportInput!) { importCustomersCsv(input: $input) { jobId created updated recordsKeyed } }',
      {
        input: {
          contentBase64: sjis(rows(4, 'K')).toString('base64'),
          encoding: 'SHIFT_JIS',
          dryRun: false,
          dataEntry: true,
        },
      },
    );
    expect(same.importCustomersCsv).toMatchObject({ created: 0, updated: 4, recordsKeyed: 0 });
    expect(await job(admin, same.importCustomersCsv.jobId)).toMatchObject({ dataEntry: true, recordsKeyed: 0 });
    // Two of four rows corrected (a new memo; a new number), one new row: three records keyed.
    const corrected = [
      row(0, 'K').replace('①取込テスト', '訂正済み'),
      row(1, 'K').replace(/,090\d{8},/, ',080-9999-0001,'),
      row(2, 'K'),
      row(3, 'K'),
      row(10, 'K'),
    ];
    const fix = await upload(admin, sjis(corrected), 'encoding=SHIFT_JIS&dataEntry=true');
    expect(fix.body).toMatchObject({ created: 1, updated: 4, recordsKeyed: 3 });
    // An ordinary (not data-entry) import of changed rows keys nothing.
    const plain = await upload(admin, sjis([row(4, 'K').replace('①取込テスト', '社内で更新')]), 'encoding=SHIFT_JIS');
    expect(plain.body).toMatchObject({ updated: 1, recordsKeyed: 0 });
    expect(await keyed(admin)).toBe(13);
    expect(await keyed(adminB)).toBe(0);

    // Billing hears of each data-entry import that keyed something, once, keyed by tenant.
    const events = await eventually('keyed-records events', () => {
      const e = keyedEvents(tenantA);
      return e.length >= 2 ? e : undefined;
    });
    expect(
      events.map((e) => [e.key, e.event.payload.importJobId, e.event.payload.records, e.event.payload.outcome]),
    ).toEqual([
      [tenantA, real.body.jobId, 10, 'SUCCEEDED'],
      [tenantA, fix.body.jobId, 3, 'SUCCEEDED'],
    ]);
    expect((await job(admin, real.body.jobId))?.status).toBe('SUCCEEDED');
    expect(new Date(events[0]?.event.payload.startedAt as string).getTime()).toBeLessThanOrEqual(
      new Date(events[0]?.event.payload.finishedAt as string).getTime(),
    );
    expect(keyedEvents(tenantB)).toEqual([]);
  });

  it('reports the records a data-entry import saved before it failed part-way (outcome FAILED)', async () => {
    const tenantC = randomUUID();
    const adminC = await h.sign({ tenantId: tenantC, roles: ['tenant-admin'] });
    // 2,500 good UTF-8 rows, then bytes that are not UTF-8: the first chunk (2,000 rows) commits.
    const good = Buffer.from([header, ...rows(2_500, 'F')].join('\r\n'), 'utf8');
    const broken = Buffer.concat([good, Buffer.from('\r\nF9999,', 'utf8'), Buffer.from([0xff, 0xfe, 0xfd])]);
    const res = await upload(adminC, broken, 'encoding=UTF8&dataEntry=true');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('CSV_ENCODING');
    const jobs = await ok<{ importJobs: Job[] }>(
      h,
      adminC,
      '{ importJobs { id status rowsProcessed created recordsKeyed errorCode } }',
    );
    expect(jobs.importJobs).toHaveLength(1);
    const failed = jobs.importJobs[0] as Job;
    expect(failed).toMatchObject({ status: 'FAILED', errorCode: 'CSV_ENCODING' });
    // Whatever was committed is what is counted and reported: the counter commits with each chunk.
    expect(failed.recordsKeyed).toBe(failed.created);
    expect(failed.recordsKeyed).toBeGreaterThanOrEqual(2_000);
    expect(await total(adminC)).toBe(failed.created);
    const event = await eventually('keyed-records event of the failed import', () =>
      (h.seen.get(KEYED_RECORDS_TOPIC) ?? [])
        .map((m) => keyedRecordsSchema.parse(JSON.parse(m.value)))
        .find((e) => e.tenantId === tenantC),
    );
    expect(event.payload).toMatchObject({
      importJobId: failed.id,
      records: failed.recordsKeyed,
      outcome: 'FAILED',
      errorCode: 'CSV_ENCODING',
    });
  });

  it('refuses a streamed UTF-8 upload declared Shift_JIS (CSV_ENCODING) before the dry run counts a row', async () => {
    const adminE = await h.sign({ tenantId: randomUUID(), roles: ['tenant-admin'] });
    const jobId = randomUUID();
    // 3,000 rows (over 64 KB, more than one chunk of the stream), saved as UTF-8.
    const file = Buffer.from([header, ...rows(3_000, 'E')].join('\r\n'), 'utf8');
    const res = await upload(adminE, file, `encoding=SHIFT_JIS&dryRun=true&jobId=${jobId}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('CSV_ENCODING');
    expect(res.body.message).toMatch(/UTF-8/);
    expect(await job(adminE, jobId)).toMatchObject({
      status: 'FAILED',
      errorCode: 'CSV_ENCODING',
      rowsProcessed: 0,
      created: 0,
      rejected: 0,
    });
    expect(await total(adminE)).toBe(0);
  });

  it("keeps tenants apart: B cannot see A's jobs, and B's upload with A's ids creates B records", async () => {
    const a = await ok<{ importJobs: { id: string }[] }>(h, admin, '{ importJobs(limit: 1) { id } }');
    const aJob = a.importJobs[0]?.id as string;
    const aJobBefore = await job(admin, aJob);
    expect(await job(adminB, aJob)).toBeNull();
    expect((await ok<{ importJobs: unknown[] }>(h, adminB, '{ importJobs { id } }')).importJobs).toEqual([]);
    // A's job id reused by B is B's own new job, not a conflict with A's.
    const b = await upload(adminB, sjis(rows(3)), `encoding=SHIFT_JIS&jobId=${aJob}`);
    expect(b.body).toMatchObject({ jobId: aJob, created: 3, updated: 0 });
    expect(await total(adminB)).toBe(3);
    expect(await total(admin)).toBe(8_512);
    expect(await job(admin, aJob)).toEqual(aJobBefore);
    expect(await job(adminB, aJob)).toMatchObject({ created: 3, rowsProcessed: 3 });
  });
});
