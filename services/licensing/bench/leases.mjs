// Lease acquire/release throughput and latency: 200 concurrent clients of one tenant against the
// real service (in-process, real Postgres, database thankstar_licensing_bench).
// Run after `npx tsc -b services/licensing`:  node services/licensing/bench/leases.mjs [seconds] [clients]
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

process.env.THANKSTAR_DB_SUFFIX = '_bench';
process.env.LOG_LEVEL = 'silent';
process.env.DB_POOL_SIZE ??= '20';
const require = createRequire(import.meta.url);
const { resetDatabase } = require('@thankstar/platform');
const { NestFactory } = require('@nestjs/core');
const { database } = require('../dist/src/database.js');
await resetDatabase(database);
const { AppModule } = require('../dist/src/app.module.js');
const { SigningKeysService } = require('../dist/src/keys/signing-keys.service.js');
const { DataSource } = require('typeorm');

const seconds = Number(process.argv[2] ?? 10);
const clients = Number(process.argv[3] ?? 200);
const app = await NestFactory.create(AppModule, { logger: false });
await app.listen(0, '127.0.0.1');
const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
const tenantId = randomUUID();
await app
  .get(DataSource)
  .query(
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

const latencies = { acquire: [], release: [] };
let granted = 0;
let refused = 0;
const deadline = Date.now() + seconds * 1000;
const call = async (kind, method, path, token, body) => {
  const started = performance.now();
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = res.status === 204 ? undefined : await res.json();
  latencies[kind].push(performance.now() - started);
  return { status: res.status, json };
};
await Promise.all(
  tokens.map(async (token, i) => {
    while (Date.now() < deadline) {
      const r = await call('acquire', 'POST', '/v1/leases', token, { deviceKind: 'web', label: `tab ${i}` });
      if (r.status === 201) {
        granted++;
        await call('release', 'DELETE', `/v1/leases/${r.json.leaseId}`, token);
      } else if (r.status === 409) refused++;
      else throw new Error(`unexpected ${r.status} ${JSON.stringify(r.json)}`);
    }
  }),
);
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
};
const live = await app
  .get(DataSource)
  .query('SELECT count(*)::int AS n FROM leases WHERE tenant_id = $1 AND ended_at IS NULL', [tenantId]);
const report = {
  clients,
  seconds,
  capacity: 96,
  acquires: latencies.acquire.length,
  granted,
  refused,
  releases: latencies.release.length,
  opsPerSecond: Math.round((latencies.acquire.length + latencies.release.length) / seconds),
  acquireMs: { p50: +pct(latencies.acquire, 50).toFixed(1), p99: +pct(latencies.acquire, 99).toFixed(1) },
  releaseMs: { p50: +pct(latencies.release, 50).toFixed(1), p99: +pct(latencies.release, 99).toFixed(1) },
  liveLeasesAfter: live[0].n,
};
console.log(JSON.stringify(report, null, 2));
await app.close();
