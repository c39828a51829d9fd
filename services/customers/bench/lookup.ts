import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { normalizePhoneNumber } from '@thankstar/phone';
import { dataSourceOptions, type Principal, runMigrations } from '@thankstar/platform';
import { resetDatabase } from '@thankstar/platform/testing';
import iconv from 'iconv-lite';
import { DataSource, type EntityManager } from 'typeorm';
import { loadCustomersConfig } from '../src/config';
import { CsvService } from '../src/csv/csv.service';
import { ImportRepository } from '../src/csv/import.repository';
import { CustomFieldsRepository } from '../src/custom-fields/custom-fields.repository';
import { CustomersRepository } from '../src/customers/customers.repository';
import { CustomersService } from '../src/customers/customers.service';
import { database } from '../src/database';
import { InteractionsRepository } from '../src/interactions/interactions.repository';
import { LookupRepository } from '../src/lookup/lookup.repository';
import { PopupsRepository } from '../src/popups/popups.repository';
import { PopupsService } from '../src/popups/popups.service';

/**
 * `npm run -w @thankstar/customers bench:lookup` (after build): one tenant with BENCH_CUSTOMERS
 * customers (default 1,000,000) and 1.5 numbers each, then caller lookup + popup assembly p50/p99
 * over BENCH_LOOKUPS calls (default 5,000), then CSV import throughput over BENCH_IMPORT_ROWS
 * Shift_JIS rows (default 100,000; 0 skips it), created then re-imported. Uses the
 * `thankstar_customers_lookup_bench` database: reused when an earlier run seeded it completely
 * (seeding takes minutes), else dropped and seeded set-based (generate_series); BENCH_RESEED=1 forces it.
 */
const customers = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const lookups = Number(process.env.BENCH_LOOKUPS ?? 5_000);
const importRows = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
// Its own database, so it never collides with a whole-stack `_bench` run (deploy/local/stack.mjs).
process.env.CUSTOMERS_DATABASE_URL ??= `postgres://${process.env.PGUSER ?? 'postgres'}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? '5432'}/thankstar_customers_lookup_bench`;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const mobile = (i: number) => `090${String(10_000_000 + i).slice(-8)}`;
const landline = (i: number) => `03${String(10_000_000 + i).slice(-8)}`;
const LISTED = 100;
const employeeNumber = (i: number) => `035555${1000 + i}`;
const nuisanceNumber = (i: number) => `0120${100_000 + i}`;
/** Carried by two customers each (家族で同じ番号): MULTIPLE_MATCHES. */
const sharedNumber = (i: number) => `04${82_000_000 + i}`;

/** Employee and nuisance numbers and shared numbers, so every class is measured; added once to a reused database. */
async function addListsAndSharedNumbers(ds: DataSource, tenantId: string): Promise<void> {
  const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM employee_numbers WHERE tenant_id = $1', [tenantId]);
  if (n > 0) return;
  await ds.query(
    `INSERT INTO employee_numbers (tenant_id, raw, e164, national_digits, label)
     SELECT $1, '035555' || (1000 + i), '+8135555' || (1000 + i), '35555' || (1000 + i), '社員 ' || i FROM generate_series(0, $2 - 1) i`,
    [tenantId, LISTED],
  );
  await ds.query(
    `INSERT INTO nuisance_numbers (tenant_id, raw, e164, national_digits, reason)
     SELECT $1, '0120' || (100000 + i), '+81120' || (100000 + i), '120' || (100000 + i), '営業電話' FROM generate_series(0, $2 - 1) i`,
    [tenantId, LISTED],
  );
  await ds.query(
    `INSERT INTO customer_phones (tenant_id, customer_id, raw, e164, national_digits, type)
     SELECT $1, c.id, '04' || (82000000 + i), '+814' || (82000000 + i), '4' || (82000000 + i), 'HOME'
       FROM generate_series(0, $2 - 1) i
       JOIN customers c ON c.tenant_id = $1 AND c.name_kana IN ('コキャク ' || (2 * i + 1), 'コキャク ' || (2 * i + 2))`,
    [tenantId, LISTED],
  );
  await ds.query('ANALYZE employee_numbers; ANALYZE nuisance_numbers');
}

/** The tenant seeded by an earlier run, when it is complete (same size, numbers and ANALYZE done). */
async function seededTenant(ds: DataSource): Promise<string | null> {
  const rows: { tenant_id: string; n: number }[] = await ds.query(
    'SELECT tenant_id, count(*)::int AS n FROM customers GROUP BY tenant_id ORDER BY count(*) DESC LIMIT 1',
  );
  const top = rows[0];
  if (!top || top.n !== customers) return null;
  const [{ done }] = await ds.query(
    "SELECT EXISTS (SELECT 1 FROM pg_stat_user_tables WHERE relname = 'customer_phones' AND last_analyze IS NOT NULL) AS done",
  );
  return done ? top.tenant_id : null;
}

/** Reuses the seeded database when it is complete (seeding 1M customers takes minutes); BENCH_RESEED=1 forces a new one. */
async function openBenchDatabase(): Promise<{ ds: DataSource; tenantId: string | null }> {
  if (process.env.BENCH_RESEED !== '1') {
    try {
      await runMigrations(database);
      const ds = new DataSource({ ...dataSourceOptions(database), extra: { max: 4 } });
      await ds.initialize();
      const tenantId = await seededTenant(ds);
      if (tenantId) return { ds, tenantId };
      await ds.destroy();
    } catch {
      // no bench database yet
    }
  }
  await resetDatabase(database);
  const ds = new DataSource({ ...dataSourceOptions(database), extra: { max: 4 } });
  await ds.initialize();
  return { ds, tenantId: null };
}

async function seed(ds: DataSource): Promise<string> {
  const tenantId = randomUUID();
  const t = Date.now();
  // Messy formats on purpose: the digit fallback must stay on an index.
  await ds.query(
    `INSERT INTO customers (tenant_id, name, name_kana, tags)
     SELECT $1, '顧客 ' || g, 'コキャク ' || g, CASE WHEN g % 10 = 0 THEN '{VIP}'::text[] ELSE '{}' END
       FROM generate_series(1, $2) g`,
    [tenantId, customers],
  );
  await ds.query(
    `INSERT INTO customer_phones (tenant_id, customer_id, raw, e164, national_digits, type)
     SELECT $1, id, '090-' || substr(d, 1, 4) || '-' || substr(d, 5, 4), '+8190' || d, '90' || d, 'MOBILE'
       FROM (SELECT id, lpad(((10000000 + row_number() OVER (ORDER BY created_at, id)) % 100000000)::text, 8, '0') AS d FROM customers) c`,
    [tenantId],
  );
  await ds.query(
    `INSERT INTO customer_phones (tenant_id, customer_id, raw, e164, national_digits, type)
     SELECT $1, id, '(03)' || substr(d, 1, 4) || '-' || substr(d, 5, 4), NULL, '3' || d, 'WORK'
       FROM (SELECT id, n, lpad(((10000000 + n) % 100000000)::text, 8, '0') AS d
               FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM customers) x WHERE n % 2 = 0) c`,
    [tenantId],
  );
  await ds.query(
    `INSERT INTO purchases (tenant_id, customer_id, purchased_on, item, quantity, amount_yen)
     SELECT $1, id, current_date - (k * 30), '商品 ' || k, 1, 1000 * k FROM customers, generate_series(1, 3) k
      WHERE customers.tenant_id = $1 AND (hashtext(id::text) % 5) = 0`,
    [tenantId],
  );
  await ds.query(
    `INSERT INTO interactions (tenant_id, customer_id, kind, occurred_at, summary, notes)
     SELECT $1, id, 'CALL', now() - (k || ' days')::interval, '着信', 'メモ ' || k FROM customers, generate_series(1, 2) k
      WHERE customers.tenant_id = $1 AND (hashtext(id::text) % 5) = 1`,
    [tenantId],
  );
  await ds.query('ANALYZE');
  const [{ phones }] = await ds.query('SELECT count(*)::int AS phones FROM customer_phones');
  console.log(`seeded ${customers} customers, ${phones} numbers in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  return tenantId;
}

async function main() {
  const opened = await openBenchDatabase();
  const ds = opened.ds;
  if (opened.tenantId) console.log(`reusing the seeded database (${customers} customers); BENCH_RESEED=1 seeds again`);
  const tenantId = opened.tenantId ?? (await seed(ds));
  await addListsAndSharedNumbers(ds, tenantId);
  const popups = new PopupsService(
    ds,
    new InteractionsRepository(),
    new PopupsRepository(),
    new LookupRepository(),
    loadCustomersConfig(),
  );
  // The lookup alone (one statement, as the consumer runs it inside its own transaction), then wrapped
  // in a transaction of its own (BEGIN + lookup + COMMIT), to show what the extra round trips cost.
  await measureLookups(popups, tenantId, 'lookup + popup assembly (one statement)', (f) => f(ds.manager));
  await measureLookups(popups, tenantId, 'same inside its own transaction', (f) => ds.transaction(f));
  await benchImport(ds);
  await ds.destroy();
}

async function measureLookups(
  popups: PopupsService,
  tenantId: string,
  what: string,
  run: <T>(f: (m: EntityManager) => Promise<T>) => Promise<T>,
) {
  const timings: number[] = [];
  // The floor, interleaved: one `SELECT 1` round trip the same way, so a loaded machine shows as such.
  const floor: number[] = [];
  const classes = new Map<string, number>();
  for (let i = 0; i < lookups + 200; i++) {
    const n = Math.floor(Math.random() * customers) + 1;
    // 10% unknown, 2% each employee, nuisance and a number two customers share; the rest customers
    // (a third of those with an even number by a landline stored without E.164: the digit fallback).
    const k = i % 50;
    const raw =
      i % 10 === 9
        ? '0669990000'
        : k === 1
          ? employeeNumber(n % LISTED)
          : k === 2
            ? nuisanceNumber(n % LISTED)
            : k === 3
              ? sharedNumber(n % LISTED)
              : i % 3 === 0 && n % 2 === 0
                ? landline(n)
                : mobile(n);
    const call = {
      callId: randomUUID(),
      event: 'ringing' as const,
      from: normalizePhoneNumber(raw),
      to: normalizePhoneNumber('0312345678'),
      lineLabel: null,
      source: 'webhook' as const,
      at: new Date().toISOString(),
    };
    const start = process.hrtime.bigint();
    const popup = await run((m) => popups.assemble(m, tenantId, call));
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const floorStart = process.hrtime.bigint();
    await run((m) => m.query('SELECT 1'));
    const floorMs = Number(process.hrtime.bigint() - floorStart) / 1e6;
    if (i >= 200) {
      timings.push(ms);
      floor.push(floorMs);
      classes.set(popup.class, (classes.get(popup.class) ?? 0) + 1);
    }
  }
  timings.sort((a, b) => a - b);
  floor.sort((a, b) => a - b);
  console.log(
    `${what} over ${lookups} calls: p50 ${percentile(timings, 50).toFixed(2)} ms, p99 ${percentile(timings, 99).toFixed(2)} ms, max ${timings.at(-1)?.toFixed(2)} ms; classes ${JSON.stringify(Object.fromEntries(classes))}; floor (SELECT 1 the same way) p50 ${percentile(floor, 50).toFixed(2)} ms, p99 ${percentile(floor, 99).toFixed(2)} ms`,
  );
}

/** CSV import throughput: BENCH_IMPORT_ROWS Shift_JIS rows into a fresh tenant (all created), then the same file again (all updated). */
async function benchImport(ds: DataSource) {
  if (importRows === 0) return;
  const principal: Principal = { userId: 'bench', tenantId: randomUUID(), roles: ['tenant-admin'], expiresAt: 0 };
  const header = '顧客ID,氏名,フリガナ,携帯,郵便番号,都道府県,市区町村,番地,タグ,メモ';
  const rows = Array.from(
    { length: importRows },
    (_, i) =>
      `X${i},取込 ${i},トリコミ ${i},${mobile(i + 5_000_000)},150-0001,東京都,渋谷区,神宮前${i},${i % 7 === 0 ? 'VIP' : ''},①取込テスト`,
  );
  const file = iconv.encode([header, ...rows].join('\r\n'), 'cp932');
  const customersRepo = new CustomersRepository();
  const fieldsRepo = new CustomFieldsRepository();
  const csv = new CsvService(
    ds,
    new CustomersService(ds, customersRepo, fieldsRepo),
    customersRepo,
    fieldsRepo,
    new ImportRepository(),
    loadCustomersConfig(),
  );
  for (const run of ['first import (creates)', 're-import (updates)']) {
    const t = Date.now();
    const report = await csv.import(principal, file, { encoding: 'SHIFT_JIS', dryRun: false });
    const seconds = (Date.now() - t) / 1000;
    console.log(
      `CSV ${run} of ${importRows} Shift_JIS rows (${(file.length / 1e6).toFixed(1)} MB): ${seconds.toFixed(1)} s (${Math.round(importRows / seconds)} rows/s); created ${report.created}, updated ${report.updated}, rejected ${report.rejected}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
