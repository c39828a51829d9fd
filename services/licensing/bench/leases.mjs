// Lease acquire/release throughput and latency: N concurrent clients of one tenant (capacity 96)
// against the real service over HTTP (real Postgres, database thankstar_licensing_bench).
// The service runs in this process; the clients run in a worker thread with their own event
// loop, as the gateway would be another process. Each client loops: acquire, then release
// (a 409 refusal counts as an acquire), with `thinkMs` between calls (0 = closed loop: every
// client always has a request in flight, so latency ≈ clients / throughput by Little's law).
// The first `warmup` seconds are not measured.
// Run after a build:  node services/licensing/bench/leases.mjs [seconds=10] [clients=200] [thinkMs=0] [warmup=2]
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

if (!isMainThread) {
  const { url, tokens, seconds, warmup, thinkMs, control } = workerData;
  const latencies = { acquire: [], release: [], granted: [], refused: [] };
  const counts = { granted: 0, refused: 0 };
  const start = Date.now();
  const measureFrom = start + warmup * 1000;
  const deadline = measureFrom + seconds * 1000;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const call = async (kind, method, path, token, body) => {
    const started = performance.now();
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = res.status === 204 ? undefined : await res.json();
    if (Date.now() >= measureFrom) latencies[kind].push(performance.now() - started);
    return { status: res.status, json };
  };
  await Promise.all(
    tokens.map(async (token, i) => {
      // Spread the clients' first calls over one think time.
      if (thinkMs > 0) await sleep(Math.random() * thinkMs);
      while (Date.now() < deadline) {
        if (control) {
          // The control run: the same clients and pacing, calling an endpoint with no database work.
          await call('acquire', 'GET', '/health/live', token);
          if (thinkMs > 0) await sleep(thinkMs);
          continue;
        }
        const r = await call('acquire', 'POST', '/v1/leases', token, { deviceKind: 'web', label: `tab ${i}` });
        const measured = Date.now() >= measureFrom;
        if (measured) latencies[r.status === 201 ? 'granted' : 'refused'].push(latencies.acquire.at(-1));
        if (thinkMs > 0) await sleep(thinkMs);
        if (r.status === 201) {
          if (measured) counts.granted++;
          await call('release', 'DELETE', `/v1/leases/${r.json.leaseId}`, token);
          if (thinkMs > 0) await sleep(thinkMs);
        } else if (r.status === 409) {
          if (measured) counts.refused++;
        } else throw new Error(`unexpected ${r.status} ${JSON.stringify(r.json)}`);
      }
    }),
  );
  parentPort.postMessage({ latencies, counts });
} else {
  process.env.THANKSTAR_DB_SUFFIX = '_bench';
  process.env.LOG_LEVEL = 'silent';
  process.env.DB_POOL_SIZE ??= '20';
  const require = createRequire(import.meta.url);
  const { resetDatabase } = require('@thankstar/platform/testing');
  const { NestFactory } = require('@nestjs/core');
  const { database } = require('../dist/src/database.js');
  await resetDatabase(database);
  const { AppModule } = require('../dist/src/app.module.js');
  const { SigningKeysService } = require('../dist/src/keys/signing-keys.service.js');
  const { LeasesRepository } = require('../dist/src/leases/leases.repository.js');
  const { DataSource } = require('typeorm');

  const seconds = Number(process.argv[2] ?? 10);
  const clients = Number(process.argv[3] ?? 200);
  const thinkMs = Number(process.argv[4] ?? 0);
  const warmup = Number(process.argv[5] ?? 2);
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const db = app.get(DataSource);
  const tenantId = randomUUID();
  await db.query(
    `INSERT INTO tenant_connection_packs (tenant_id, connection_packs, contract_id, contract_version) VALUES ($1, 19, $2, 1)`,
    [tenantId, randomUUID()],
  );
  const keys = app.get(SigningKeysService);
  const tokens = await Promise.all(
    Array.from(
      { length: clients },
      async (_, i) =>
        (await keys.sign({ sub: randomUUID(), tid: tenantId, roles: ['operator'], name: `client ${i}` })).token,
    ),
  );
  const pct = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return +(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0).toFixed(1);
  };

  // Floors, one call at a time: the lease statements alone (no HTTP), and an HTTP call that does
  // no database work (GET /health/live), so the loaded figures can be read against them.
  const repo = app.get(LeasesRepository);
  const floorTenant = randomUUID();
  await repo.createSlots(db.manager, floorTenant);
  // Statistics, as autovacuum keeps them on a running database: without them the planner expects
  // one row per tenant and sorts the slots instead of walking their index (0.87 ms vs 0.41 ms an acquire).
  await db.query('ANALYZE');
  const sqlMs = [];
  const httpMs = [];
  for (let i = 0; i < 300; i++) {
    const userId = randomUUID();
    let t0 = performance.now();
    const r = await repo.acquire(db.manager, floorTenant, {
      userId,
      userName: 'floor',
      deviceKind: 'web',
      label: 'floor',
      ttlSeconds: 45,
    });
    await repo.release(db.manager, floorTenant, r.leaseId, { userId, mayEndOthers: false, asAdmin: false });
    if (i >= 50) sqlMs.push(performance.now() - t0);
    t0 = performance.now();
    await (await fetch(`${url}/health/live`)).text();
    if (i >= 50) httpMs.push(performance.now() - t0);
  }

  // The acquire statement's own time inside the service during the run (database round trip
  // and the pool's wait), to split a request's latency between HTTP and Postgres.
  const statementMs = { granted: [], refused: [] };
  let measuring = false;
  const acquireStatement = repo.acquire.bind(repo);
  repo.acquire = async (...args) => {
    const t0 = performance.now();
    const result = await acquireStatement(...args);
    if (measuring) statementMs[result.outcome === 'granted' ? 'granted' : 'refused']?.push(performance.now() - t0);
    return result;
  };
  const startMeasuring = setTimeout(() => {
    measuring = true;
  }, warmup * 1000);

  // How long the service's event loop was held up (GC, synchronous work) during the measured window.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const startLoopDelay = setTimeout(() => loopDelay.enable(), warmup * 1000);
  const runClients = (control) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), {
        workerData: { url, tokens, seconds, warmup, thinkMs, control },
      });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const { latencies, counts } = await runClients(false);
  clearTimeout(startMeasuring);
  measuring = false;
  clearTimeout(startLoopDelay);
  loopDelay.disable();
  // The same clients and pacing against GET /health/live: what the HTTP round trip and the
  // machine (the client worker, the service, Postgres and Kafka on the same cores) add by themselves.
  const control = await runClients(true);
  const live = await db.query('SELECT count(*)::int AS n FROM leases WHERE tenant_id = $1 AND ended_at IS NULL', [
    tenantId,
  ]);
  const report = {
    clients,
    seconds,
    warmupSeconds: warmup,
    thinkMs,
    capacity: 96,
    acquires: latencies.acquire.length,
    granted: counts.granted,
    refused: counts.refused,
    releases: latencies.release.length,
    opsPerSecond: Math.round((latencies.acquire.length + latencies.release.length) / seconds),
    acquireMs: { p50: pct(latencies.acquire, 50), p99: pct(latencies.acquire, 99) },
    // The same, split by answer: a refusal (409) carries the holders of every connection.
    acquireGrantedMs: { p50: pct(latencies.granted, 50), p99: pct(latencies.granted, 99) },
    acquireRefusedMs: { p50: pct(latencies.refused, 50), p99: pct(latencies.refused, 99) },
    releaseMs: { p50: pct(latencies.release, 50), p99: pct(latencies.release, 99) },
    floorsOneAtATime: {
      sqlAcquirePlusReleaseMs: { p50: pct(sqlMs, 50), p99: pct(sqlMs, 99) },
      httpNoDatabaseMs: { p50: pct(httpMs, 50), p99: pct(httpMs, 99) },
    },
    acquireStatementInServiceMs: {
      granted: { p50: pct(statementMs.granted, 50), p99: pct(statementMs.granted, 99) },
      refused: { p50: pct(statementMs.refused, 50), p99: pct(statementMs.refused, 99) },
    },
    controlSameClientsHealthGetMs: {
      p50: pct(control.latencies.acquire, 50),
      p99: pct(control.latencies.acquire, 99),
    },
    serviceEventLoopDelayMs: {
      p50: +(loopDelay.percentile(50) / 1e6).toFixed(1),
      p99: +(loopDelay.percentile(99) / 1e6).toFixed(1),
      max: +(loopDelay.max / 1e6).toFixed(1),
    },
    liveLeasesAfter: live[0].n,
  };
  console.log(JSON.stringify(report, null, 2));
  await app.close();
}
