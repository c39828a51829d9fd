// Foreground runner for `npm run dev` (after dev.sh has built, migrated and seeded): the
// TypeScript compiler in watch mode, every app under `node --watch` (stack.mjs), the admin UI's
// Vite dev server. Saving a .ts file recompiles it into dist/, which restarts the apps that load
// it. Ctrl-C (or SIGTERM) stops everything. Prefixed logs: [tsc], [<app>], [admin-ui].
//   DEV_PORT_BASE (4000)   ports of the gateway (+0) and the services (+1..+4)
//   DEV_UI_PORT (5173)     the Vite dev server
//   THANKSTAR_DB_SUFFIX    databases thankstar_<service><suffix>, as the services read it
//   DEV_KAFKA_PREFIX       a second stack's own consumer groups and topics (<prefix>.<topic>)
import { spawn } from 'node:child_process';
import { utimesSync, watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { startStack } from './stack.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const portBase = Number(process.env.DEV_PORT_BASE ?? 4000);
const uiPort = Number(process.env.DEV_UI_PORT ?? 5173);
const say = (name, line) => console.log(`[${name}] ${line}`);

/** A child whose output lines are printed with a prefix. */
function run(name, command, args, env = process.env) {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      // Colours and cursor codes (tsc, vite) stripped; the text kept.
      for (const line of stripVTControlCharacters(chunk.toString()).split('\n')) if (line.trim()) say(name, line);
    });
  }
  return child;
}

// dev.sh has just built everything, so the first pass of the watcher finds it up to date.
const tsc = run('tsc', process.execPath, [
  join(root, 'node_modules/typescript/bin/tsc'),
  '-b',
  'tsconfig.build.json',
  '--watch',
  '--preserveWatchOutput',
]);

let stack;
let ui;
let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  console.log('stopping');
  tsc.kill('SIGTERM');
  ui?.kill('SIGTERM');
  await stack?.stop();
  process.exit(code);
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
tsc.on('exit', (code) => {
  if (!stopping) {
    console.error(`tsc --watch exited (${code})`);
    stop(1);
  }
});

try {
  stack = await startStack({
    portBase,
    dbSuffix: process.env.THANKSTAR_DB_SUFFIX ?? '',
    groupPrefix: process.env.DEV_KAFKA_PREFIX || undefined,
    watch: true,
    // node --watch prints "Restarting 'dist/src/main.js'" on every restart; errors come through too.
    log: (name, line) => say(name, line),
  });
} catch (err) {
  console.error(String(err instanceof Error ? err.message : err));
  await stop(1);
}
// The gateway reads gateway/supergraph.graphql at start (not an import node --watch follows):
// when `npm run -w gateway compose` rewrites it, touch the gateway's entry to restart it.
watch(join(root, 'gateway'), (_event, file) => {
  if (file !== 'supergraph.graphql' || stopping) return;
  const now = new Date();
  utimesSync(join(root, 'gateway/dist/src/main.js'), now, now);
});
ui = run(
  'admin-ui',
  'npm',
  ['run', '-w', 'admin-ui', 'dev', '--', '--host', '127.0.0.1', '--port', String(uiPort), '--strictPort'],
  {
    ...process.env,
    THANKSTAR_GATEWAY_ORIGIN: `http://127.0.0.1:${portBase}`,
  },
);
ui.on('exit', (code) => {
  if (!stopping)
    say('admin-ui', `the Vite dev server stopped (${code}); the apps keep running. Restart npm run dev for it.`);
});
console.log(`
Thankstar dev loop: edit a .ts file and save; tsc recompiles it and the apps that load it restart.

  GraphQL gateway   ${stack.urls.gateway}
  Admin UI (Vite)   http://127.0.0.1:${uiPort}
  Services          telephony ${stack.urls.telephony}, customers ${stack.urls.customers}, billing ${stack.urls.billing}, licensing ${stack.urls.licensing}
  Demo logins       as npm start (README)

A subgraph schema change needs the supergraph again: npm run -w gateway compose (the gateway then restarts).
Ctrl-C stops everything (Kafka keeps running: npm run infra:down).
`);
