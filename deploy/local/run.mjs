// Foreground runner for `npm start`: starts the stack, prints how to use it, stops it on Ctrl-C.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoWebhook, ringBody, signWebhook } from './ring.mjs';
import { startStack } from './stack.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const stack = await startStack({ log: process.env.VERBOSE ? (n, l) => console.log(`[${n}] ${l}`) : undefined });
let ui;
if (existsSync(join(root, 'admin-ui/package.json')) && existsSync(join(root, 'admin-ui/vite.config.ts'))) {
  ui = spawn('npm', ['run', '-w', 'admin-ui', 'dev', '--', '--host', '127.0.0.1', '--port', '5173', '--strictPort'], {
    cwd: root,
    stdio: 'ignore',
  });
}
const body = ringBody();
console.log(`
Thankstar is running with the demo tenant.

  GraphQL gateway   ${stack.urls.gateway}  (graphql-ws on ${stack.urls.gatewayWs})
  Admin UI          ${ui ? 'http://127.0.0.1:5173' : '(not built yet)'}
  Services          telephony ${stack.urls.telephony}, customers ${stack.urls.customers}, billing ${stack.urls.billing}, licensing ${stack.urls.licensing}

  Demo operator     operator@demo.thankstar.jp / demo-operator-2026
  Demo admin        admin@demo.thankstar.jp / demo-admin-2026
  Back office       backoffice@thankstar.jp / demo-backoffice-2026   (provider: contracts, invoices)
  Platform admin    platform@thankstar.jp / demo-platform-2026

Ring a call from the demo customer (signature valid for 5 minutes; or run: node deploy/local/ring.mjs):

curl -i -X POST ${stack.urls.telephony}/v1/calls/events -H 'content-type: application/json' -H 'X-Thankstar-Key: ${demoWebhook.keyId}' -H 'X-Thankstar-Signature: ${signWebhook(body, demoWebhook.secret)}' --data '${body}'

Ctrl-C stops everything (Kafka keeps running: npm run infra:down).
`);
const shutdown = async () => {
  ui?.kill('SIGTERM');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
