// npm run -w @thankstar/billing bench:rating   (after `npx tsc -b services/billing`)
//
// 1. Rating through the real broker: BENCH_POPUPS popups (default 200,000) for BENCH_TENANTS
//    tenants (default 100) are produced to a topic of this run first; then billing's own rating
//    consumer (RatingConsumer, batch consumption) is started and timed until every call is rated
//    and stored (committed rows in rated_calls).
// 2. Month close: BENCH_CLOSE_TENANTS tenants (default 1,000) × BENCH_CLOSE_POPUPS rated calls
//    each (default 10,000) are seeded set-based with generate_series (not timed), then the month is
//    closed and issued for all of them the way the scheduler does it (closeMonthMany) and timed.
//    The figures are checked: one issued invoice per tenant, gapless numbers, and a sample
//    invoice equal to the per-tenant estimate.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

process.env.THANKSTAR_DB_SUFFIX ??= '_bench';
const run = randomUUID().slice(0, 8);
process.env.KAFKA_TOPIC_PREFIX = `bench-rating-${run}.`;
process.env.KAFKA_GROUP_PREFIX = `bench-rating-${run}`;
const require = createRequire(import.meta.url);
const { dataSourceOptions, KafkaJsBus, kafkaBrokersFromEnv, platformTopics } = require('@thankstar/platform');
const { resetDatabase } = require('@thankstar/platform/testing');
const { POPUPS_TOPIC, popupSchema } = require('@thankstar/contracts');
const { DataSource } = require('typeorm');
const { database } = require('../dist/src/database.js');
const { seedDemo } = require('../dist/src/seed/demo.js');
const { PlansService } = require('../dist/src/plans/plans.service.js');
const { ContractsService } = require('../dist/src/contracts/contracts.service.js');
const { CalendarService } = require('../dist/src/calendar/calendar.service.js');
const { RatingService } = require('../dist/src/rating/rating.service.js');
const { RatingConsumer } = require('../dist/src/rating/rating.consumer.js');
const { InvoicingService } = require('../dist/src/invoicing/invoicing.service.js');
const { InvoiceBuilder } = require('../dist/src/invoicing/invoice-builder.js');
const { InvoiceNumbering } = require('../dist/src/invoicing/invoice-numbering.js');
const { InvoicesRepository } = require('../dist/src/invoicing/invoices.repository.js');
const { MonthLocks } = require('../dist/src/invoicing/month-locks.js');
const { MonthLocksRepository } = require('../dist/src/invoicing/month-locks.repository.js');
const { PipelineWatermarkService } = require('../dist/src/invoicing/pipeline-watermark.service.js');
const { issuerFrom } = require('../dist/src/invoicing/issuer.js');
const { loadBillingConfig } = require('../dist/src/config.js');
const { PlansRepository } = require('../dist/src/plans/plans.repository.js');
const { CalendarRepository } = require('../dist/src/calendar/calendar.repository.js');
const { ContractsRepository } = require('../dist/src/contracts/contracts.repository.js');
const { RatingRepository } = require('../dist/src/rating/rating.repository.js');
const { KeyedRecordsService } = require('../dist/src/keyed-records/keyed-records.service.js');
const { KeyedRecordsRepository } = require('../dist/src/keyed-records/keyed-records.repository.js');

const tenants = Number(process.env.BENCH_TENANTS ?? 100);
const popupCount = Number(process.env.BENCH_POPUPS ?? 200_000);
const closeTenants = Number(process.env.BENCH_CLOSE_TENANTS ?? 1_000);
const closePopups = Number(process.env.BENCH_CLOSE_POPUPS ?? 10_000);
const phases = (process.env.BENCH_PHASES ?? 'rating,close').split(',');
const log = (...a) => console.error(new Date().toISOString(), ...a);
const loadavg = async () =>
  (await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const result = { run };

async function services() {
  await resetDatabase(database);
  const ds = new DataSource({ ...dataSourceOptions(database), extra: { max: 10 } });
  await ds.initialize();
  await ds.transaction((m) => seedDemo(m));
  // Wired by hand as AppModule wires them (no HTTP server, no consumers started here).
  const config = loadBillingConfig();
  const issuer = issuerFrom(config);
  const invoices = new InvoicesRepository();
  const monthLocks = new MonthLocks(new MonthLocksRepository());
  const ratedCalls = new RatingRepository();
  const plans = new PlansService(ds, new PlansRepository());
  const calendars = new CalendarService(ds, new CalendarRepository());
  const contracts = new ContractsService(
    ds,
    plans,
    calendars,
    monthLocks,
    new ContractsRepository(),
    invoices,
    ratedCalls,
  );
  const rating = new RatingService(contracts, plans, calendars, monthLocks, ratedCalls);
  const keyed = new KeyedRecordsService(ds, calendars, monthLocks, new KeyedRecordsRepository());
  const bus = new KafkaJsBus({ clientId: `bench-close-${run}`, brokers: kafkaBrokersFromEnv() });
  const pipeline = new PipelineWatermarkService(bus, config);
  const builder = new InvoiceBuilder(issuer, plans, contracts, keyed, ratedCalls);
  const invoicing = new InvoicingService(
    ds,
    issuer,
    calendars,
    keyed,
    pipeline,
    invoices,
    monthLocks,
    new InvoiceNumbering(invoices),
    builder,
  );
  return { ds, plans, contracts, calendars, rating, invoicing, config, closeBus: bus };
}

/** Contracts (Cloud, list input per popup, one pack) for `n` new tenants, set-based; returns their ids. */
async function seedContracts(ds, n) {
  const rows = await ds.query(
    `WITH t AS (SELECT gen_random_uuid() AS tenant_id, i FROM generate_series(1, $1) AS i),
          c AS (
            INSERT INTO contracts (tenant_id, recipient_name, plan_version_id, service_start_date, list_input, status, event_version)
            SELECT t.tenant_id, 'ベンチ株式会社 ' || t.i, v.id,
                   CASE WHEN t.i % 2 = 0 THEN DATE '2026-04-01' ELSE DATE '2026-03-15' END, 'per-popup', 'active', 1
              FROM t, plan_versions v JOIN plans p ON p.id = v.plan_id WHERE p.code = 'CLOUD' AND v.version = 1
            RETURNING id, tenant_id, service_start_date)
     , packs AS (INSERT INTO connection_packs (tenant_id, contract_id, purchased_on)
                 SELECT tenant_id, id, service_start_date FROM c)
     , seats AS (INSERT INTO seats (seat_id, tenant_id, device_id, registered_at)
                 SELECT gen_random_uuid(), c.tenant_id, 'PC-' || k, TIMESTAMPTZ '2026-03-01 09:00+09'
                   FROM c, generate_series(1, 3) AS k)
     -- An operator in every evening from 18:00 to 20:00 Tokyo on 10 April (presence for after hours).
     , presence AS (INSERT INTO presence_intervals (lease_id, tenant_id, connected_at, disconnected_at)
                    SELECT gen_random_uuid(), c.tenant_id, TIMESTAMPTZ '2026-04-10 18:00+09', TIMESTAMPTZ '2026-04-10 20:00+09' FROM c)
     SELECT tenant_id FROM c ORDER BY tenant_id`,
    [n],
  );
  return rows.map((r) => r.tenant_id);
}

const classes = ['CUSTOMER', 'CUSTOMER', 'CUSTOMER', 'EMPLOYEE', 'NUISANCE', 'UNKNOWN', 'WITHHELD', 'MULTIPLE_MATCHES'];

function popupEvent(tenantId, i) {
  // Spread over April in Tokyo: business hours, evenings, weekends and 29 April (昭和の日).
  const rangAt = new Date(Date.parse('2026-04-01T00:00:00+09:00') + ((i * 7_919_000) % 2_592_000_000)).toISOString();
  const cls = classes[i % classes.length];
  const customerId = randomUUID();
  return {
    id: randomUUID(),
    type: 'customers.popup',
    tenantId,
    occurredAt: rangAt,
    payload: {
      popupId: randomUUID(),
      callId: `bench-${i}`,
      class: cls,
      caller: { raw: '0312345678', e164: '+81312345678', display: '03-1234-5678', valid: true, withheldReason: null },
      lineLabel: '代表',
      rangAt,
      customer:
        cls === 'CUSTOMER'
          ? {
              id: customerId,
              name: '山田 太郎',
              nameKana: 'ヤマダ タロウ',
              company: '株式会社サンプル',
              tags: ['優良'],
              phones: [{ raw: '0312345678', display: '03-1234-5678', type: 'WORK', label: null }],
              notes: '午前中の連絡を希望',
            }
          : null,
      candidates: [],
      purchases:
        cls === 'CUSTOMER'
          ? [{ id: customerId, purchasedOn: '2026-03-02', item: '定期便 A', quantity: 2, amountYen: 6_480 }]
          : [],
      purchaseTotals: cls === 'CUSTOMER' ? { count: 1, lifetimeValueYen: 6_480 } : null,
      interactions:
        cls === 'CUSTOMER'
          ? [{ id: customerId, occurredAt: '2026-03-02T10:00:00+09:00', summary: '配送日の変更', operatorName: '佐藤' }]
          : [],
      notesAllowed: cls !== 'NUISANCE',
    },
  };
}

async function ratingPhase() {
  const { ds, contracts, plans, calendars, rating, closeBus } = await services();
  await closeBus.close();
  const tenantIds = await seedContracts(ds, tenants);
  for (let i = 0; i < classes.length; i++) popupSchema.parse(popupEvent(tenantIds[0], i)); // valid, not dead-lettered
  const bus = new KafkaJsBus({ clientId: `bench-rating-${run}`, brokers: kafkaBrokersFromEnv() });
  await bus.ensureTopics(platformTopics);
  log(`producing ${popupCount} popups for ${tenants} tenants to ${process.env.KAFKA_TOPIC_PREFIX}${POPUPS_TOPIC}`);
  const produceStarted = performance.now();
  let bytes = 0;
  for (let i = 0; i < popupCount; i += 2_000) {
    const batch = [];
    for (let j = i; j < Math.min(i + 2_000, popupCount); j++) {
      const tenantId = tenantIds[j % tenantIds.length];
      const value = JSON.stringify(popupEvent(tenantId, Math.floor(j / tenantIds.length)));
      bytes += value.length;
      batch.push({ topic: POPUPS_TOPIC, key: tenantId, value });
    }
    await bus.publish(batch);
  }
  const produceSeconds = (performance.now() - produceStarted) / 1000;
  log(`produced in ${produceSeconds.toFixed(1)} s (${Math.round(bytes / popupCount)} bytes per popup)`);
  const stored = async () => Number((await ds.query('SELECT count(*)::int AS n FROM rated_calls'))[0].n);

  const loadBefore = await loadavg();
  // Batches seen by the rating service (size and time), for the figures below.
  const batches = [];
  const ratePopups = rating.ratePopups.bind(rating);
  rating.ratePopups = async (popups, m) => {
    const t0 = performance.now();
    const n = await ratePopups(popups, m);
    batches.push({ at: t0, size: popups.length, ms: performance.now() - t0 });
    return n;
  };
  const consumer = new RatingConsumer(ds, bus, rating, loadBillingConfig());
  const started = performance.now();
  await consumer.onApplicationBootstrap(); // joins both groups (sessions, then popups)
  const joined = performance.now();
  let firstAt;
  for (;;) {
    const n = await stored();
    if (n > 0 && firstAt === undefined) firstAt = performance.now();
    if (n >= popupCount) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const done = performance.now();
  const loadAfter = await loadavg();
  await consumer.onApplicationShutdown();
  const [sums] = await ds.query(
    `SELECT count(*)::int AS calls, count(DISTINCT (tenant_id, call_id))::int AS distinct_calls,
            sum(amount_yen)::int AS yen, count(*) FILTER (WHERE exemption IS NOT NULL)::int AS exempt
       FROM rated_calls`,
  );
  const [dedup] = await ds.query(`SELECT count(*)::int AS n FROM processed_events WHERE consumer = 'billing.rating'`);
  Object.assign(result, {
    rating: {
      popups: popupCount,
      tenants,
      bytesPerPopup: Math.round(bytes / popupCount),
      produceSeconds: Number(produceSeconds.toFixed(2)),
      joinSeconds: Number(((joined - started) / 1000).toFixed(2)),
      drainSecondsFromJoin: Number(((done - joined) / 1000).toFixed(2)),
      popupsRatedAndStoredPerSecond: Math.round(popupCount / ((done - joined) / 1000)),
      popupsPerSecondFirstToLastRow: Math.round(popupCount / ((done - (firstAt ?? joined)) / 1000)),
      batches: batches.length,
      meanBatch: Math.round(batches.reduce((a, b) => a + b.size, 0) / Math.max(1, batches.length)),
      firstBatchAfterJoinSeconds: Number((((batches[0]?.at ?? joined) - joined) / 1000).toFixed(2)),
      meanRateMsPerBatch: Math.round(batches.reduce((a, b) => a + b.ms, 0) / Math.max(1, batches.length)),
      stored: sums,
      processedEvents: dedup.n,
      load: { before: loadBefore, after: loadAfter },
    },
  });
  log(JSON.stringify(result.rating));
  await bus.close();
  await ds.destroy();
  void contracts;
  void plans;
  void calendars;
}

async function closePhase() {
  const { ds, invoicing, closeBus } = await services();
  log(`seeding ${closeTenants} tenants × ${closePopups} rated calls (set-based, not timed)`);
  const seedStarted = performance.now();
  const tenantIds = await seedContracts(ds, closeTenants);
  // Bulk load without the secondary indexes, then build them (as a restore would).
  await ds.query('ALTER TABLE rated_calls DROP CONSTRAINT rated_calls_pkey');
  await ds.query('DROP INDEX rated_calls_by_day');
  await ds.query('DROP INDEX rated_calls_after_hours');
  const v = (
    await ds.query(
      `SELECT v.id FROM plan_versions v JOIN plans p ON p.id = v.plan_id WHERE p.code = 'CLOUD' AND v.version = 1`,
    )
  )[0].id;
  for (let i = 0; i < tenantIds.length; i += 100) {
    await ds.query(
      `INSERT INTO rated_calls (tenant_id, call_id, popup_id, class, rang_at, local_date, popup_yen, list_input_yen,
         amount_yen, exemption, plan_version_id, day_kind, list_input_surcharge_yen, billed_month)
       SELECT t, 'c-' || n, gen_random_uuid(), cls, at, (at AT TIME ZONE 'Asia/Tokyo')::date,
              py, CASE WHEN py > 0 THEN 5 ELSE 0 END, py + CASE WHEN py > 0 THEN 5 ELSE 0 END,
              ex, $3, dk, 5, to_char(at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM')
         FROM unnest($1::uuid[]) AS t, generate_series(1, $2) AS n,
              LATERAL (SELECT (ARRAY['CUSTOMER','CUSTOMER','CUSTOMER','EMPLOYEE','NUISANCE','UNKNOWN','WITHHELD','MULTIPLE_MATCHES'])[1 + n % 8] AS cls,
                              TIMESTAMPTZ '2026-04-01 00:00+09' + (n * 259) * interval '1 second' AS at) a,
              LATERAL (SELECT CASE WHEN extract(isodow FROM at AT TIME ZONE 'Asia/Tokyo') >= 6 THEN 'closed-day'
                                   WHEN extract(hour FROM at AT TIME ZONE 'Asia/Tokyo') BETWEEN 9 AND 17 THEN 'business-hours'
                                   ELSE 'after-hours' END AS dk) d,
              LATERAL (SELECT CASE WHEN dk = 'closed-day' THEN 'CLOSED_DAY'
                                   WHEN dk = 'after-hours' AND n % 3 = 0 THEN 'AFTER_HOURS_UNATTENDED' END AS ex) e,
              LATERAL (SELECT CASE WHEN ex IS NOT NULL THEN 0 WHEN cls = 'NUISANCE' THEN 0
                                   WHEN cls = 'EMPLOYEE' THEN 15 ELSE 30 END AS py) p`,
      [tenantIds.slice(i, i + 100), closePopups, v],
    );
    if (i % 200 === 0) log(`  ${i + 100} tenants seeded`);
  }
  await ds.query('ALTER TABLE rated_calls ADD PRIMARY KEY (tenant_id, call_id)');
  await ds.query('CREATE INDEX rated_calls_by_day ON rated_calls (tenant_id, local_date)');
  await ds.query(
    `CREATE INDEX rated_calls_after_hours ON rated_calls (tenant_id, rang_at) WHERE day_kind = 'after-hours'`,
  );
  await ds.query('VACUUM ANALYZE rated_calls');
  const [{ rows }] = await ds.query('SELECT count(*)::int AS rows FROM rated_calls');
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  log(`seeded ${rows} rated calls in ${seedSeconds.toFixed(1)} s`);

  const loadBefore = await loadavg();
  const started = performance.now();
  const { invoiceIds, refused } = await invoicing.closeMonthMany(tenantIds, '2026-04', {
    now: new Date('2026-05-01T00:05:00+09:00'),
    issue: true,
    chunkSize: Number(process.env.BENCH_CLOSE_CHUNK ?? 250),
    concurrency: Number(process.env.BENCH_CLOSE_CONCURRENCY ?? 2),
  });
  const closeSeconds = (performance.now() - started) / 1000;
  const loadAfter = await loadavg();

  const [check] = await ds.query(
    `SELECT count(*)::int AS issued, count(DISTINCT number)::int AS numbers,
            min(substr(number, 5)::int) AS first, max(substr(number, 5)::int) AS last,
            sum(total_yen)::bigint::text AS total_yen,
            sum((SELECT sum((l->>'quantity')::int) FROM jsonb_array_elements(lines) l
                  WHERE l->>'kind' IN ('POPUPS', 'EXEMPT_POPUPS')))::bigint::text AS calls_invoiced
       FROM invoices WHERE month = '2026-04' AND status = 'issued'`,
  );
  // One tenant's issued invoice against the per-tenant estimate (the same rules, read separately).
  const sample = tenantIds[Math.floor(tenantIds.length / 2)];
  const estimate = await invoicing.estimate(sample, '2026-04', new Date('2026-05-01T00:05:00+09:00'));
  const [issued] = await ds.query(`SELECT total_yen::int AS total FROM invoices WHERE id = $1`, [
    invoiceIds.get(sample),
  ]);
  Object.assign(result, {
    close: {
      tenants: closeTenants,
      ratedCallsPerTenant: closePopups,
      ratedCalls: rows,
      seedSeconds: Number(seedSeconds.toFixed(1)),
      closeAndIssueSeconds: Number(closeSeconds.toFixed(2)),
      invoices: invoiceIds.size,
      refused: refused.size,
      check: { ...check, gapless: check.last - check.first + 1 === check.issued && check.numbers === check.issued },
      sampleMatchesEstimate: issued?.total === estimate.totalYen,
      load: { before: loadBefore, after: loadAfter },
    },
  });
  log(JSON.stringify(result.close));
  await closeBus.close();
  await ds.destroy();
}

if (phases.includes('rating')) await ratingPhase();
if (phases.includes('close')) await closePhase();
console.log(JSON.stringify(result));
process.exit(0);
