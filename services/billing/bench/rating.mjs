// npm run -w @thankstar/billing bench:rating   (after `npx tsc -b services/billing`)
// Rates popups through the real rating rules and tables (one transaction per popup, with the
// consumer's dedup row, as the Kafka consumer does), then closes the month for every tenant.
// BENCH_TENANTS and BENCH_POPUPS (per tenant) size it; the target is 1,000 × 10,000.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

process.env.THANKSTAR_DB_SUFFIX ??= '_bench';
const require = createRequire(import.meta.url);
const { dataSourceOptions, resetDatabase, idempotent } = require('@thankstar/platform');
const { DataSource } = require('typeorm');
const { database } = require('../dist/src/database.js');
const { seedDemo } = require('../dist/src/seed/demo.js');
const { PlansService } = require('../dist/src/plans/plans.service.js');
const { ContractsService } = require('../dist/src/contracts/contracts.service.js');
const { CalendarService } = require('../dist/src/calendar/calendar.service.js');
const { RatingService } = require('../dist/src/rating/rating.service.js');
const { InvoicingService } = require('../dist/src/invoicing/invoicing.service.js');
const { issuerFromEnv } = require('../dist/src/invoicing/issuer.js');

const tenants = Number(process.env.BENCH_TENANTS ?? 10);
const perTenant = Number(process.env.BENCH_POPUPS ?? 500);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);

await resetDatabase(database);
const ds = new DataSource({ ...dataSourceOptions(database), extra: { max: concurrency + 2 } });
await ds.initialize();
await ds.transaction((m) => seedDemo(m));
const plans = new PlansService(ds);
const contracts = new ContractsService(ds, plans);
const calendars = new CalendarService(ds);
const rating = new RatingService(contracts, plans, calendars);
const invoicing = new InvoicingService(ds, issuerFromEnv(), plans, calendars);

const ids = Array.from({ length: tenants }, () => randomUUID());
for (const tenantId of ids) {
  await contracts.create({
    tenantId,
    recipientName: 'ベンチ株式会社',
    planCode: 'CLOUD',
    serviceStartDate: '2026-04-01',
    listInput: 'per-popup',
    connectionPacks: 1,
  });
}
const handle = idempotent(ds, 'billing.rating', (e, m) => rating.ratePopup(e, m));
const classes = ['CUSTOMER', 'CUSTOMER', 'CUSTOMER', 'EMPLOYEE', 'NUISANCE', 'UNKNOWN'];
const popups = [];
for (const tenantId of ids) {
  for (let i = 0; i < perTenant; i++) {
    const rangAt = new Date(Date.parse('2026-04-01T00:00:00+09:00') + i * 97_000).toISOString();
    popups.push({
      id: randomUUID(),
      type: 'customers.popup',
      tenantId,
      occurredAt: rangAt,
      payload: { popupId: randomUUID(), callId: `b-${i}`, class: classes[i % classes.length], rangAt },
    });
  }
}
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < popups.length) await handle(popups[next++]);
  }),
);
const ratingSeconds = (performance.now() - started) / 1000;
const closeStarted = performance.now();
for (const tenantId of ids) await invoicing.closeMonth(tenantId, '2026-04');
const closeSeconds = (performance.now() - closeStarted) / 1000;
console.log(
  JSON.stringify({
    popups: popups.length,
    ratingSeconds: Number(ratingSeconds.toFixed(2)),
    popupsRatedPerSecond: Math.round(popups.length / ratingSeconds),
    tenantsClosed: tenants,
    closeSeconds: Number(closeSeconds.toFixed(2)),
  }),
);
await ds.destroy();
