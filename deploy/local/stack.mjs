// Starts the four services and the gateway as child processes from their built `dist`,
// waits until each answers /health, and stops them together. Used by `npm start` and by the
// whole-stack tests (test/e2e), so both run the platform the same way.
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

export const apps = [
  { name: 'licensing', dir: 'services/licensing', entry: 'dist/src/main.js', offset: 4 },
  { name: 'telephony', dir: 'services/telephony', entry: 'dist/src/main.js', offset: 1 },
  { name: 'customers', dir: 'services/customers', entry: 'dist/src/main.js', offset: 2 },
  { name: 'billing', dir: 'services/billing', entry: 'dist/src/main.js', offset: 3 },
  { name: 'gateway', dir: 'gateway', entry: 'dist/src/main.js', offset: 0 },
];

export function urlsFor(portBase) {
  const u = (offset, path = '') => `http://127.0.0.1:${portBase + offset}${path}`;
  return {
    gateway: u(0, '/graphql'),
    gatewayWs: `ws://127.0.0.1:${portBase}/graphql`,
    telephony: u(1),
    customers: u(2),
    billing: u(3),
    licensing: u(4),
    jwks: u(4, '/.well-known/jwks.json'),
  };
}

const run = promisify(execFile);
export const services = ['licensing', 'telephony', 'customers', 'billing'];

/**
 * Drops and recreates each service's database for a throwaway stack (suffix `_e2e`, `_ui`,
 * `_bench`, `_drill`, `_otel`), runs the migrations and seeds the demo tenant, using the built scripts.
 */
export async function prepareDatabases(suffix) {
  if (!/^_(e2e|ui\d?|bench|drill|test|otel|adv)$/.test(suffix))
    throw new Error(`refusing to reset databases with suffix ${suffix}`);
  const env = { ...process.env, THANKSTAR_DB_SUFFIX: suffix };
  const psql = (sql) =>
    run(
      'psql',
      [
        '-U',
        process.env.PGUSER ?? 'postgres',
        '-h',
        process.env.PGHOST ?? '127.0.0.1',
        '-p',
        process.env.PGPORT ?? '5432',
        '-d',
        'postgres',
        '-qAtc',
        sql,
      ],
      { env },
    );
  for (const svc of services) {
    await psql(`DROP DATABASE IF EXISTS thankstar_${svc}${suffix} WITH (FORCE)`);
    await psql(`CREATE DATABASE thankstar_${svc}${suffix}`);
  }
  await Promise.all(
    services.map(async (svc) => {
      await run(process.execPath, [join(root, 'services', svc, 'dist/src/migrate.js')], { env });
      await run(process.execPath, [join(root, 'services', svc, 'dist/src/seed/run.js')], { env });
    }),
  );
}

async function waitHealthy(url, child, name, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}\n${last}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not become healthy at ${url} within ${timeoutMs} ms: ${last}`);
}

/**
 * `watch: true` runs each app under `node --watch` (npm run dev): it restarts when a file it
 * loaded changes, e.g. when `tsc -b --watch` rewrites its `dist` or a library's.
 * @param {{portBase?: number, dbSuffix?: string, groupPrefix?: string, env?: Record<string,string>, log?: (name: string, line: string) => void, only?: string[], watch?: boolean}} options
 */
export async function startStack(options = {}) {
  // Extra node flags for every app, e.g. STACK_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile a bench.
  const nodeArgs = [
    ...(options.watch ? ['--watch', '--watch-preserve-output'] : []),
    ...(process.env.STACK_NODE_ARGS ?? '').split(' ').filter(Boolean),
  ];
  const portBase = options.portBase ?? 4000;
  const urls = urlsFor(portBase);
  const children = [];
  const byName = new Map();
  const logs = new Map();
  const baseEnv = {
    ...process.env,
    THANKSTAR_DB_SUFFIX: options.dbSuffix ?? '',
    KAFKA_GROUP_PREFIX: options.groupPrefix ?? 'thankstar',
    // A throwaway stack gets topics of its own, so it never replays another run's history.
    KAFKA_TOPIC_PREFIX: options.groupPrefix ? `${options.groupPrefix}.` : '',
    JWKS_URL: urls.jwks,
    LICENSING_HTTP_URL: urls.licensing,
    TELEPHONY_URL: `${urls.telephony}/graphql`,
    CUSTOMERS_URL: `${urls.customers}/graphql`,
    BILLING_URL: `${urls.billing}/graphql`,
    LICENSING_URL: `${urls.licensing}/graphql`,
    ...options.env,
  };
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise((resolve) => {
            if (c.exitCode !== null) return resolve();
            const kill = setTimeout(() => c.kill('SIGKILL'), 10_000);
            c.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            c.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    for (const app of apps.filter((a) => !options.only || options.only.includes(a.name))) {
      // A process left over from an earlier run on this port would answer the health check with
      // old code: refuse to start instead of testing someone else's stack.
      await portIsFree(portBase + app.offset, app.name);
      const child = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, join(root, app.dir, app.entry)], {
        cwd: join(root, app.dir),
        env: { ...baseEnv, PORT: String(portBase + app.offset) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      byName.set(app.name, child);
      const buf = [];
      logs.set(app.name, buf);
      const onData = (chunk) => {
        for (const line of chunk.toString().split('\n')) {
          if (!line) continue;
          buf.push(line);
          if (buf.length > 500) buf.shift();
          options.log?.(app.name, line);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      const health = `http://127.0.0.1:${portBase + app.offset}/health`;
      // Licensing serves the JWKS the others verify with: start it first, the rest together.
      if (app.name === 'licensing') await waitHealthy(health, child, app.name, 60_000);
    }
    await Promise.all(
      apps
        .filter((a) => a.name !== 'licensing' && (!options.only || options.only.includes(a.name)))
        .map((app) =>
          waitHealthy(`http://127.0.0.1:${portBase + app.offset}/health`, byName.get(app.name), app.name, 90_000),
        ),
    );
  } catch (err) {
    await stop();
    const tail = [...logs].map(([n, l]) => `--- ${n}\n${l.slice(-15).join('\n')}`).join('\n');
    throw new Error(`${err instanceof Error ? err.message : err}\n${tail}`);
  }
  return { urls, stop, logs, topicPrefix: baseEnv.KAFKA_TOPIC_PREFIX };
}

/** Resolves when nothing listens on 127.0.0.1:port; otherwise fails naming the port and the app. */
function portIsFree(port, name) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () =>
      reject(new Error(`port ${port} (for ${name}) is already in use: a process from an earlier run? stop it first`)),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
