import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { dataSourceOptions, resetDatabase } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { database } from '../database';
import { seedDemo } from '../seed/demo';
import { demoKey, runLoad } from './call';
import { parseSimulatorArgs } from './simulator-args';

/**
 * `npm run bench:ingest -w @thankstar/telephony [-- --load 5000 --concurrency 64]`: starts one
 * telephony instance on a fresh `_bench` database and the real broker, posts ring + end for
 * every call, and reports events per second accepted (202) and published (outbox drained).
 */
async function main(): Promise<void> {
  process.env.THANKSTAR_DB_SUFFIX = '_bench';
  const args = parseSimulatorArgs(
    ['--url', 'http://127.0.0.1:5001', '--events', 'ringing,ended', '--concurrency', '64', ...process.argv.slice(2)],
    demoKey,
  );
  const calls = args.load ?? 5000;
  await resetDatabase(database);
  const ds = new DataSource(dataSourceOptions(database));
  await ds.initialize();
  await ds.transaction((m) => seedDemo(m));
  const service = spawn(process.execPath, [join(__dirname, '../main.js')], {
    env: { ...process.env, PORT: '5001', LOG_LEVEL: 'silent', MIGRATIONS_RUN: 'false', THANKSTAR_DB_SUFFIX: '_bench' },
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
    const started = performance.now();
    const result = await runLoad(args, calls);
    for (;;) {
      const [row]: { n: string }[] = await ds.query('SELECT count(*) AS n FROM outbox');
      if (Number(row?.n) === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const publishedSeconds = (performance.now() - started) / 1000;
    console.log(
      JSON.stringify({
        calls,
        events: result.events,
        accepted: result.accepted,
        concurrency: args.concurrency,
        acceptedPerSecond: Math.round(result.accepted / result.seconds),
        publishedPerSecond: Math.round(result.accepted / publishedSeconds),
        secondsToAccept: Number(result.seconds.toFixed(2)),
        secondsToPublish: Number(publishedSeconds.toFixed(2)),
      }),
    );
  } finally {
    service.kill('SIGTERM');
    await ds.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
