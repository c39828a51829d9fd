import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { dataSourceOptions } from '@thankstar/platform';
import { resetDatabase } from '@thankstar/platform/testing';
import { DataSource } from 'typeorm';
import { childEnvironment, loadSimulatorConfig, useDatabaseSuffix } from '../config';
import { database } from '../database';
import { seedDemo } from '../seed/demo';
import { demoKey, runLoad } from './call';
import { parseSimulatorArgs } from './simulator-args';

/**
 * `npm run bench:ingest -w @thankstar/telephony [-- --load 10000 --concurrency 64]`: starts one
 * telephony instance on a fresh `_bench` database and the real broker, warms it up with a tenth
 * of the calls (at most 1,000), then posts ring + end for every call and reports events per
 * second accepted (202) and published (outbox drained).
 */
async function main(): Promise<void> {
  useDatabaseSuffix('_bench');
  const args = parseSimulatorArgs(
    ['--url', 'http://127.0.0.1:5001', '--events', 'ringing,ended', '--concurrency', '64', ...process.argv.slice(2)],
    demoKey,
  );
  const calls = args.load ?? 10_000;
  // Calls posted first and not measured: a fresh process compiles its hot paths (JIT) and fills
  // its caches during the first seconds, which is not what a running instance costs.
  const warmupCalls = Math.min(1_000, Math.ceil(calls / 10));
  await resetDatabase(database);
  const ds = new DataSource(dataSourceOptions(database));
  await ds.initialize();
  await ds.transaction((m) => seedDemo(m));
  // STACK_NODE_ARGS (as for deploy/local/stack.mjs) adds node flags, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (loadSimulatorConfig().STACK_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const service = spawn(process.execPath, [...nodeArgs, join(__dirname, '../main.js')], {
    env: childEnvironment(
      // The benchmark measures what one instance can take, so the per-tenant limit (one tenant here) is lifted.
      { TELEPHONY_RATE_LIMIT_BURST: '1000000000', TELEPHONY_RATE_LIMIT_PER_SECOND: '1000000000' },
      { PORT: '5001', LOG_LEVEL: 'silent', MIGRATIONS_RUN: 'false', THANKSTAR_DB_SUFFIX: '_bench' },
    ),
    stdio: 'inherit',
  });
  try {
    for (let i = 0; ; i++) {
      const up = await fetch(`${args.url}/health/live`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (i > 100) throw new Error('telephony did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    await runLoad(args, warmupCalls);
    await outboxDrained(ds);
    const load = loadavg().map((l) => Number(l.toFixed(2)));
    const serviceCpuBefore = cpuSecondsOf(service.pid);
    const clientCpuBefore = process.cpuUsage();
    const started = performance.now();
    const result = await runLoad(args, calls);
    await outboxDrained(ds);
    const publishedSeconds = (performance.now() - started) / 1000;
    const serviceCpu = cpuSecondsOf(service.pid) - serviceCpuBefore;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const floor = await frameworkFloor(args.url, service.pid, args.concurrency);
    console.log(
      JSON.stringify({
        calls,
        warmupCalls,
        events: result.events,
        accepted: result.accepted,
        concurrency: args.concurrency,
        acceptedPerSecond: Math.round(result.accepted / result.seconds),
        publishedPerSecond: Math.round(result.accepted / publishedSeconds),
        secondsToAccept: Number(result.seconds.toFixed(2)),
        secondsToPublish: Number(publishedSeconds.toFixed(2)),
        // CPU time per accepted event: what the figures would be on idle cores, roughly.
        serviceCpuMsPerEvent: Number(((serviceCpu * 1000) / result.accepted).toFixed(3)),
        // The same for GET /health/live (no body, no database): what the HTTP stack alone costs here.
        serviceCpuMsPerHealthGet: Number(floor.toFixed(3)),
        clientCpuMsPerEvent: Number(((clientCpu.user + clientCpu.system) / 1000 / result.accepted).toFixed(3)),
        loadAverage: load,
      }),
    );
  } finally {
    service.kill('SIGTERM');
    await ds.destroy();
  }
}

/** Resolves once the relay has published everything (the outbox is empty). */
async function outboxDrained(ds: DataSource): Promise<void> {
  for (;;) {
    const [row]: { n: string }[] = await ds.query('SELECT count(*) AS n FROM outbox');
    if (Number(row?.n) === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Service CPU milliseconds per `GET /health/live`, 2,000 of them with `concurrency` in flight. */
async function frameworkFloor(url: string, pid: number | undefined, concurrency: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const get = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(`${url}/health/live`, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  const n = 2_000;
  let next = 0;
  const before = cpuSecondsOf(pid);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        await get();
      }
    }),
  );
  agent.destroy();
  return ((cpuSecondsOf(pid) - before) * 1000) / n;
}

/** User + system CPU seconds a process has used so far (Linux /proc). */
function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  // Fields after the command name: utime and stime are the 12th and 13th (clock ticks, 100 per second).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
