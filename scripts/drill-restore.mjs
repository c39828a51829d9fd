// `npm run drill:restore`: a backup-and-restore drill on a throwaway billing database
// (docs/operations.md, "Back up and restore"). Needs the local infrastructure (npm run
// infra:up) and a build (npm run build).
//  1. creates thankstar_billing_restore_drill, migrates it and seeds the demo data (billing's
//     own migrate and seed scripts, as `npm start` runs them);
//  2. issues invoices by running billing's code the way its tests do: the app module in this
//     process with self-signed test tokens, contracts through GraphQL, popups and PCs through
//     the rating service, then closeMonth and issueInvoice;
//  3. records the invoices (numbers, totals, lines) and a checksum of every table's rows;
//  4. backs up with pg_dump (custom format), DROPS the database, restores it with pg_restore;
//  5. checks the invoices and every table are unchanged. Prints PASS/FAIL and the figures.
// pg_dump/pg_restore are the server's major version (/usr/lib/postgresql/<major>/bin first).
import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const SUFFIX = '_restore_drill';
const DB = `thankstar_billing${SUFFIX}`;

// Billing reads its settings once at start: these come first. Its own topics and groups, so the
// drill neither reads nor writes the local stack's; the scheduler off (the drill closes the month).
Object.assign(process.env, {
  THANKSTAR_DB_SUFFIX: SUFFIX,
  KAFKA_TOPIC_PREFIX: 'restore-drill.',
  KAFKA_GROUP_PREFIX: `restore-drill-${randomUUID()}`,
  BILLING_SCHEDULER: 'off',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
});
const pgEnv = {
  ...process.env,
  PGHOST: process.env.PGHOST ?? '127.0.0.1',
  PGPORT: process.env.PGPORT ?? '5432',
  PGUSER: process.env.PGUSER ?? 'postgres',
};

const { Client } = (await import('pg')).default;
const pgClient = () => ({
  host: pgEnv.PGHOST,
  port: Number(pgEnv.PGPORT),
  user: pgEnv.PGUSER,
  password: pgEnv.PGPASSWORD,
});
const admin = async (sql) => {
  const c = new Client({ ...pgClient(), database: 'postgres' });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
};

/** The server's major version, and the pg_dump/pg_restore of that version. */
async function tools() {
  const major = Math.floor(Number((await admin('SHOW server_version_num')).rows[0].server_version_num) / 10_000);
  const dir = `/usr/lib/postgresql/${major}/bin`;
  const pick = (name) => (existsSync(join(dir, name)) ? join(dir, name) : name);
  const dump = pick('pg_dump');
  const version = execFileSync(dump, ['--version']).toString();
  const toolMajor = Number(/(\d+)(\.\d+)?/.exec(version.replace(/^\D+/, ''))?.[1]);
  if (toolMajor !== major) throw new Error(`${dump} is version ${toolMajor}, the server is ${major}`);
  return { major, dump, restore: pick('pg_restore') };
}

/** Every table's row count and an md5 of its rows in a fixed order; the invoices in full. */
async function snapshot() {
  const c = new Client({ ...pgClient(), database: DB });
  await c.connect();
  try {
    const tables = (
      await c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
    ).rows.map((r) => r.tablename);
    const perTable = {};
    for (const t of tables) {
      const { rows } = await c.query(
        `SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '') AS md5 FROM "${t}" x`,
      );
      perTable[t] = rows[0];
    }
    const invoices = (
      await c.query(
        `SELECT number, kind, status, tenant_id, month, subtotal_yen, tax_yen, total_yen, lines, taxes, issued_at
           FROM invoices WHERE number IS NOT NULL ORDER BY number`,
      )
    ).rows;
    const counters = (await c.query('SELECT series, last_number FROM invoice_counters ORDER BY series')).rows;
    const checksum = createHash('sha256').update(JSON.stringify({ perTable, invoices, counters })).digest('hex');
    return { tables: perTable, invoices, counters, checksum };
  } finally {
    await c.end();
  }
}

/** Issues invoices through billing's code: three tenants, contracts, PCs, popups, April closed and issued. */
async function issueInvoices() {
  const billing = join(root, 'services/billing/dist/src');
  const { Test } = await import('@nestjs/testing');
  const { DataSource } = await import('typeorm');
  const { TOKEN_VERIFIER } = await import('@thankstar/platform');
  const { createTestAuth } = await import('@thankstar/platform/testing');
  const { popupSchema, sessionEventSchema } = await import('@thankstar/contracts');
  const { AppModule } = await import(join(billing, 'app.module.js'));
  const { RatingService } = await import(join(billing, 'rating/rating.service.js'));

  const auth = await createTestAuth();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(TOKEN_VERIFIER)
    .useValue(auth.verifier)
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  try {
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const db = app.get(DataSource);
    const rating = app.get(RatingService);
    const token = await auth.sign({ tenantId: randomUUID(), roles: ['back-office'] });
    const gql = async (query, variables) => {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = await res.json();
      if (body.errors) throw new Error(`${query.slice(0, 40)}…: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    const at = (day, i) => new Date(Date.parse(`2026-04-${String(day).padStart(2, '0')}T10:00:00+09:00`) + i * 1000);
    const plans = [
      ['CLOUD', 'PER_POPUP', 1, 120],
      ['CLOUD', 'PER_POPUP', 2, 40],
      ['CLOUD', 'PER_POPUP', 1, 7],
    ];
    for (const [n, [planCode, listInput, packs, popups]] of plans.entries()) {
      const tenantId = randomUUID();
      await gql('mutation($i: NewContractInput!) { createContract(input: $i) { id } }', {
        i: {
          tenantId,
          recipientName: `株式会社リストア${n + 1}`,
          planCode,
          serviceStartDate: '2026-04-01',
          listInput,
          connectionPacks: packs,
        },
      });
      for (let s = 0; s <= n; s++) {
        const seatId = randomUUID();
        const event = sessionEventSchema.parse({
          id: randomUUID(),
          type: 'licensing.session',
          tenantId,
          occurredAt: at(2, s).toISOString(),
          payload: {
            kind: 'seat-registered',
            seatId,
            deviceId: `PC-${seatId.slice(0, 4)}`,
            at: at(2, s).toISOString(),
          },
        });
        await db.transaction((m) => rating.recordSession(event, m));
      }
      for (let i = 0; i < popups; i++) {
        const rangAt = at(6 + (i % 20), i).toISOString();
        const event = popupSchema.parse({
          id: randomUUID(),
          type: 'customers.popup',
          tenantId,
          occurredAt: rangAt,
          payload: {
            popupId: randomUUID(),
            callId: randomUUID(),
            class: i % 9 === 0 ? 'EMPLOYEE' : 'CUSTOMER',
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
            notesAllowed: true,
          },
        });
        await db.transaction((m) => rating.ratePopup(event, m));
      }
      const { closeMonth } = await gql(
        'mutation($t: ID!, $m: String!) { closeMonth(tenantId: $t, month: $m) { id } }',
        {
          t: tenantId,
          m: '2026-04',
        },
      );
      await gql('mutation($id: ID!) { issueInvoice(id: $id) { number } }', { id: closeMonth.id });
    }
  } finally {
    await app.close();
  }
}

const seconds = (from) => ((performance.now() - from) / 1000).toFixed(2);
const work = mkdtempSync(join(tmpdir(), 'thankstar-restore-drill-'));
const file = join(work, `${DB}.dump`);
let ok = false;
try {
  const { major, dump, restore } = await tools();
  console.log(`restore drill on ${DB} (PostgreSQL ${major}, ${dump})`);
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${DB}`);
  const env = { ...pgEnv, THANKSTAR_DB_SUFFIX: SUFFIX };
  await run(process.execPath, [join(root, 'services/billing/dist/src/migrate.js')], { env });
  await run(process.execPath, [join(root, 'services/billing/dist/src/seed/run.js')], { env });
  await issueInvoices();

  const before = await snapshot();
  if (before.invoices.length === 0) throw new Error('no invoice was issued: nothing to check');
  for (const inv of before.invoices) {
    console.log(
      `  ${inv.number}  ${inv.month}  total ¥${Number(inv.total_yen).toLocaleString('ja-JP')} (tax ¥${inv.tax_yen})  ${inv.lines.length} lines`,
    );
  }
  console.log(`  checksum ${before.checksum} over ${Object.keys(before.tables).length} tables`);

  let t = performance.now();
  await run(dump, ['--format=custom', '--compress=9', '--no-owner', '--no-privileges', `--file=${file}`, DB], {
    env: pgEnv,
  });
  const backupSeconds = seconds(t);
  const size = statSync(file).size;

  await admin(`DROP DATABASE ${DB} WITH (FORCE)`);
  const gone = (await admin(`SELECT 1 FROM pg_database WHERE datname = '${DB}'`)).rowCount === 0;

  t = performance.now();
  await admin(`CREATE DATABASE ${DB}`);
  await run(restore, ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${DB}`, file], { env: pgEnv });
  const restoreSeconds = seconds(t);
  // Self-test of the comparison: DRILL_RESTORE_TAMPER=1 changes one invoice line after the
  // restore, and the drill must then FAIL.
  if (process.env.DRILL_RESTORE_TAMPER === '1') {
    const c = new Client({ ...pgClient(), database: DB });
    await c.connect();
    await c.query(
      `UPDATE invoices SET lines = jsonb_set(lines, '{0,description}', '"tampered"') WHERE number = 'INV-000001'`,
    );
    await c.end();
  }

  const after = await snapshot();
  const same = JSON.stringify(after) === JSON.stringify(before);
  if (!same) {
    for (const [table, v] of Object.entries(before.tables)) {
      const w = after.tables[table];
      if (JSON.stringify(v) !== JSON.stringify(w))
        console.log(`  differs: ${table} ${JSON.stringify(v)} -> ${JSON.stringify(w)}`);
    }
  }
  ok = gone && same;
  console.log(`
  invoices         ${before.invoices.length} (${before.invoices.map((i) => i.number).join(', ')})
  dump             ${(size / 1024).toFixed(1)} KiB, custom format, pg_dump ${major}
  backup           ${backupSeconds} s
  dropped          ${gone ? 'yes' : 'NO'}
  restore          ${restoreSeconds} s (create database + pg_restore)
  after restore    checksum ${after.checksum}
${ok ? 'PASS' : 'FAIL'}: ${same ? 'invoices, counters and every table unchanged' : 'the restored database differs'}`);
} catch (err) {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  console.log('FAIL: the drill did not complete');
} finally {
  rmSync(work, { recursive: true, force: true });
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => undefined);
}
process.exit(ok ? 0 : 1);
