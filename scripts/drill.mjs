// Fault drill (`npm run drill`): on a local stack of its own, rings calls continuously through
// the signed webhook while it kills and restarts each service, the gateway and the Kafka broker,
// then reports popups lost, duplicated and billed wrong. All three must be 0; exits 1 otherwise.
//
//   node scripts/drill.mjs [--rate 1] [--down 3] [--pg-down 30] [--settle 90] [--max-waiting 30]
//                          [--faults app:SIGNAL,…,broker,poison,postgres]
//                          [--no-build] [--json out.json]        (the apps' logs go to .run/drill/apps.log)
//
// Beyond the apps and the broker, two faults of the pipeline itself:
//   poison     a 1.16 MB popup written to customers' outbox (over the broker's 1 MiB limit): it must
//              be parked (outbox_parked, MESSAGE_TOO_LARGE), never sent, and every other popup flow on
//   postgres   every _drill database refuses connections for --pg-down seconds (ALLOW_CONNECTIONS
//              false + pg_terminate_backend: only the drill's databases, not the shared server):
//              consumers retry, so it must cost no dead letter
//
// Isolation: its own databases (suffix _drill), its own ports (7000..7004) and its own
// single-node broker (127.0.0.1:19092, state under .run/drill), so it never disturbs a
// development stack or another engineer's tests on the shared broker.
//
// What counts:
//   rung       calls whose webhook answered 202 (a refused attempt is retried with the same
//              body, as a PBX would, so a call is rung once telephony takes it)
//   lost       rung calls the operator's graphql-ws client never got, live or by the
//              pendingPopups catch-up it runs after each reconnect (what a real client does)
//   duplicated calls with more than one distinct popup (client side or in the customers DB)
//   billed wrong  rung calls with no rated_calls row, rated rows for another popup or class than
//              the customers popup, or amounts that differ between calls rated alike
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from 'graphql-ws';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import WebSocket from 'ws';
import { demoWebhook, ringBody, signWebhook } from '../deploy/local/ring.mjs';
import { apps, prepareDatabases, startStack, urlsFor } from '../deploy/local/stack.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
// One demo tenant takes every call: 1 call/s keeps a gateway outage under the 50 popups that
// pendingPopups returns to a reconnecting client (a real tenant rings far less often).
const rate = Number(option('rate', '1'));
const downSeconds = Number(option('down', '3'));
const pgDownSeconds = Number(option('pg-down', '30'));
const settleSeconds = Number(option('settle', '90'));
const maxWaiting = Number(option('max-waiting', '30'));
// --faults telephony:SIGKILL,gateway:SIGTERM,broker (default: every app killed, then stopped, then the broker)
const faultList = option(
  'faults',
  'poison,telephony:SIGKILL,customers:SIGKILL,billing:SIGKILL,gateway:SIGKILL,licensing:SIGKILL,telephony:SIGTERM,customers:SIGTERM,billing:SIGTERM,gateway:SIGTERM,broker,postgres',
).split(',');
const pipelineFaults = new Set(['broker', 'poison', 'postgres']);
const appFaults = faultList.filter((f) => !pipelineFaults.has(f)).map((f) => f.split(':'));
const brokerFault = faultList.includes('broker');
const poisonFault = faultList.includes('poison');
const postgresFault = faultList.includes('postgres');
const jsonOut = option('json', undefined);
const portBase = 7000;
const dbSuffix = '_drill';
const kafkaPort = 19092;
const drillRun = join(root, '.run/drill');
const kafkaEnv = {
  ...process.env,
  THANKSTAR_RUN: drillRun,
  KAFKA_PORT: String(kafkaPort),
  KAFKA_CONTROLLER_PORT: String(kafkaPort + 1),
};
const urls = urlsFor(portBase);
const runId = randomUUID().slice(0, 8);
const demoOperator = { email: 'operator@demo.thankstar.jp', password: 'demo-operator-2026' };
const demoAdmin = { email: 'admin@demo.thankstar.jp', password: 'demo-admin-2026' };
// The drill's console runs as a desktop client on a registered PC: it holds a seat, not a
// concurrent-connection lease, so gateway restarts never leave it waiting for a lease to expire.
const drillDeviceId = 'fault-drill-pc';
const demoCustomerNumber = '090-1111-2222';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (msg) => console.log(`[drill ${new Date().toISOString().slice(11, 19)}] ${msg}`);

// ---------------------------------------------------------------- infrastructure
async function kafka(script) {
  await run('bash', [join(root, 'deploy/local', script)], { env: kafkaEnv, maxBuffer: 1 << 24 });
}

/** Each app runs as its own one-app stack so it can be stopped and started alone. */
const running = new Map();
const appEnv = {
  KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
  ACCESS_TOKEN_TTL_SECONDS: '7200',
  LOG_LEVEL: 'info',
};
const appLog = join(drillRun, 'apps.log');
async function startApp(name) {
  const stack = await startStack({
    portBase,
    dbSuffix,
    only: [name],
    env: appEnv,
    log: (app, line) => appendFileSync(appLog, `${app} ${line}\n`),
  });
  running.set(name, stack);
}

/** The pid listening on an app's port (a child of ours), for a hard kill. */
async function pidOnPort(port) {
  const { stdout } = await run('ss', ['-Hltnp', `sport = :${port}`]);
  const m = /pid=(\d+)/.exec(stdout);
  return m ? Number(m[1]) : undefined;
}

async function stopApp(name, signal) {
  const stack = running.get(name);
  running.delete(name);
  if (signal === 'SIGKILL') {
    const app = apps.find((a) => a.name === name);
    const pid = await pidOnPort(portBase + app.offset);
    if (pid) process.kill(pid, 'SIGKILL');
  }
  await stack?.stop();
}

// ---------------------------------------------------------------- operator client
async function graphql(url, query, variables, token) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`${url}: ${JSON.stringify(body.errors[0])}`);
  return body.data;
}

async function login(user = demoOperator) {
  const data = await graphql(
    `${urls.licensing}/graphql`,
    'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken user { id } } }',
    user,
  );
  return data.login;
}

async function registerDrillSeat(operatorId) {
  const admin = await login(demoAdmin);
  await graphql(
    `${urls.licensing}/graphql`,
    'mutation ($deviceId: String!, $userId: ID!) { registerSeat(deviceId: $deviceId, name: "fault drill", userId: $userId) { id } }',
    { deviceId: drillDeviceId, userId: operatorId },
    admin.accessToken,
  );
}

/**
 * The operator's console: a graphql-ws subscription that reconnects forever and, after each
 * reconnect, catches up with pendingPopups since it lost the socket (popups are deduplicated on
 * popupId, as the real client does).
 */
function operatorClient(token, drillStart) {
  const seen = new Map(); // popupId -> { callId, class, via }
  const liveDeliveries = new Map(); // popupId -> count of live pushes
  let lostAt = drillStart;
  let connected = false;
  let reconnects = 0;
  let catchUps = 0;
  const record = (p, via) => {
    if (!p.callId.startsWith(`drill-${runId}-`)) return;
    if (via === 'live') liveDeliveries.set(p.popupId, (liveDeliveries.get(p.popupId) ?? 0) + 1);
    if (!seen.has(p.popupId)) seen.set(p.popupId, { callId: p.callId, class: p.class, via });
  };
  const catchUp = async (from) => {
    let since = from;
    for (let page = 0; page < 100; page++) {
      const data = await graphql(
        urls.gateway,
        'query ($since: String!) { pendingPopups(since: $since) { popupId callId class rangAt } }',
        { since },
        token,
      );
      for (const p of data.pendingPopups) record(p, 'catch-up');
      if (data.pendingPopups.length < 50) return;
      since = data.pendingPopups.at(-1).rangAt;
    }
  };
  const client = createClient({
    url: urls.gatewayWs,
    webSocketImpl: WebSocket,
    connectionParams: {
      authorization: `Bearer ${token}`,
      deviceKind: 'desktop',
      deviceId: drillDeviceId,
      label: 'fault drill',
    },
    lazy: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: () => sleep(500),
    on: {
      connected: () => {
        connected = true;
        reconnects += 1;
        // Catch up in the background, twice from the same point, as the console does: popups
        // written between the first read and the server registering the subscription reach
        // neither the first pass nor the socket. A minute before the loss: calls delayed in the
        // pipeline (an outage's backlog) ring before the socket was lost but arrive after.
        const from = new Date(lostAt.getTime() - 60_000).toISOString();
        const pass = () =>
          catchUp(from).then(
            () => {
              catchUps += 1;
            },
            (err) => log(`catch-up failed (will retry on the next reconnect): ${err.message}`),
          );
        void pass();
        setTimeout(() => void pass(), 3_000);
      },
      closed: () => {
        if (connected) lostAt = new Date();
        connected = false;
      },
    },
  });
  client.subscribe(
    { query: 'subscription { popups { popupId callId class } }' },
    {
      next: (msg) => msg.data?.popups && record(msg.data.popups, 'live'),
      error: (err) => log(`subscription error: ${JSON.stringify(err).slice(0, 200)}`),
      complete: () => undefined,
    },
  );
  return {
    seen,
    liveDeliveries,
    stats: () => ({ reconnects: reconnects - 1, catchUps }),
    dispose: () => client.dispose(),
  };
}

// ---------------------------------------------------------------- ringing
function ringer() {
  const calls = new Map(); // callId -> { accepted, attempts }
  let n = 0;
  let stopped = false;
  const inFlight = new Set();
  const ringOne = async () => {
    const callId = `drill-${runId}-${String(++n).padStart(5, '0')}`;
    // One in three rings comes from the demo customer (a CUSTOMER popup), the rest are unknown.
    const from =
      n % 3 === 0
        ? demoCustomerNumber
        : `080-${String(1000 + (n % 9000)).padStart(4, '0')}-${String(n % 10000).padStart(4, '0')}`;
    const body = ringBody({ callId, from });
    const call = { accepted: false, attempts: 0 };
    calls.set(callId, call);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      call.attempts += 1;
      try {
        const res = await fetch(`${urls.telephony}/v1/calls/events`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-thankstar-key': demoWebhook.keyId,
            'x-thankstar-signature': signWebhook(body, demoWebhook.secret),
          },
          body,
          signal: AbortSignal.timeout(5_000),
        });
        if (res.status === 202) {
          call.accepted = true;
          return;
        }
        if (res.status < 500) {
          call.refused = `${res.status} ${await res.text()}`;
          return;
        }
      } catch {
        // telephony is down: the PBX retries the same event
      }
      // Back off like a PBX would, so a restarted telephony is not flooded by every waiting call.
      await sleep(Math.min(250 * 2 ** Math.min(call.attempts - 1, 4), 4_000) * (0.5 + Math.random()));
    }
  };
  let deferred = 0;
  const loop = (async () => {
    while (!stopped) {
      // A PBX has few lines: while telephony is down, at most maxWaiting calls wait to be taken.
      if (inFlight.size < maxWaiting) {
        const p = ringOne().finally(() => inFlight.delete(p));
        inFlight.add(p);
      } else {
        deferred += 1;
      }
      await sleep(1000 / rate);
    }
    await Promise.all(inFlight);
  })();
  return {
    calls,
    deferred: () => deferred,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

// ---------------------------------------------------------------- verdict
// As the services connect (PG* variables; PGPASSWORD where the cluster wants one, deploy/local/pg-env.sh).
const pgConfig = (database) => ({
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  database,
});

async function query(service, sql, params) {
  const client = new pg.Client(pgConfig(`thankstar_${service}${dbSuffix}`));
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- pipeline faults
const drillDatabases = apps
  .map((a) => a.name)
  .filter((name) => name !== 'gateway')
  .map((name) => `thankstar_${name}${dbSuffix}`);

async function adminQuery(sql, params) {
  const client = new pg.Client(pgConfig('postgres'));
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** The drill's databases refuse every connection, and the open ones are cut (57P01), as in a restart. */
async function blockDatabases() {
  for (const db of drillDatabases) await adminQuery(`ALTER DATABASE "${db}" ALLOW_CONNECTIONS false`);
  await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY($1)', [drillDatabases]);
}

async function allowDatabases() {
  for (const db of drillDatabases) await adminQuery(`ALTER DATABASE "${db}" ALLOW_CONNECTIONS true`);
}

const poisonKey = `drill-${runId}:poison-popup`;
const POISON_BYTES = 1_160_000;

/** A popup larger than the broker accepts, straight into customers' outbox (the app itself caps popups). */
async function injectPoison() {
  const value = JSON.stringify({ type: 'customers.popup', drillPoison: runId, pad: 'x'.repeat(POISON_BYTES) });
  const [row] = await query(
    'customers',
    'INSERT INTO outbox (topic, key, value) VALUES ($1, $2, $3) RETURNING id::text',
    ['customers.popups.v1', poisonKey, value],
  );
  return row.id;
}

async function poisonVerdict(id) {
  const parked = await query('customers', 'SELECT reason FROM outbox_parked WHERE id = $1', [id]);
  const waiting = await query('customers', 'SELECT count(*)::int AS n FROM outbox WHERE id = $1', [id]);
  return {
    outboxId: id,
    parked: parked.length === 1,
    reason: parked[0]?.reason?.slice(0, 80) ?? null,
    stillInOutbox: waiting[0].n,
  };
}

async function deadLetterTotal() {
  let total = 0;
  for (const app of apps) {
    const text = await fetch(`http://127.0.0.1:${portBase + app.offset}/metrics`)
      .then((r) => (r.ok ? r.text() : ''))
      .catch(() => '');
    for (const m of text.matchAll(/^thankstar_dead_letters_total\{[^}]*\} (\d+)/gm)) total += Number(m[1]);
  }
  return total;
}

async function verdict(calls, client) {
  const rung = [...calls].filter(([, c]) => c.accepted).map(([id]) => id);
  const refused = [...calls].filter(([, c]) => c.refused);
  const like = `drill-${runId}-%`;
  const popups = await query('customers', 'SELECT id, call_id, class FROM popups WHERE call_id LIKE $1', [like]);
  const rated = await query(
    'billing',
    'SELECT call_id, popup_id, class, amount_yen, exemption, local_date FROM rated_calls WHERE call_id LIKE $1',
    [like],
  );
  const telephonyCalls = await query('telephony', 'SELECT count(*)::int AS n FROM calls WHERE call_id LIKE $1', [
    like,
  ]).catch(() => [{ n: null }]);

  const popupByCall = new Map();
  const dbDuplicates = new Set();
  for (const p of popups) {
    if (popupByCall.has(p.call_id)) dbDuplicates.add(p.call_id);
    popupByCall.set(p.call_id, p);
  }
  const clientByCall = new Map();
  const clientDuplicates = new Set();
  for (const [popupId, p] of client.seen) {
    if (clientByCall.has(p.callId) && clientByCall.get(p.callId) !== popupId) clientDuplicates.add(p.callId);
    clientByCall.set(p.callId, popupId);
  }
  const lostAtClient = rung.filter((id) => !clientByCall.has(id));
  const lostInPipeline = rung.filter((id) => !popupByCall.has(id));

  const ratedByCall = new Map(rated.map((r) => [r.call_id, r]));
  const billedWrong = [];
  for (const id of rung) {
    const r = ratedByCall.get(id);
    const p = popupByCall.get(id);
    if (!r) billedWrong.push({ callId: id, why: 'not rated' });
    else if (p && (r.popup_id !== p.id || r.class !== p.class))
      billedWrong.push({ callId: id, why: 'rated another popup' });
  }
  for (const r of rated)
    if (!calls.get(r.call_id)?.accepted) billedWrong.push({ callId: r.call_id, why: 'rated, never rung' });
  // Same class, day and exemption: the same price. A retry or replay must not change an amount.
  const amounts = new Map();
  for (const r of rated) {
    const key = `${r.class}|${r.exemption}|${r.local_date}`;
    amounts.set(key, [...(amounts.get(key) ?? []), r]);
  }
  for (const group of amounts.values()) {
    const first = group[0].amount_yen;
    for (const r of group)
      if (r.amount_yen !== first) billedWrong.push({ callId: r.call_id, why: `amount ${r.amount_yen} ≠ ${first}` });
  }

  const liveRedeliveries = [...client.liveDeliveries.values()].filter((n) => n > 1).length;
  return {
    calls: {
      attempted: calls.size,
      rung: rung.length,
      refused: refused.length,
      inTelephony: telephonyCalls[0]?.n ?? null,
      webhookRetries: [...calls.values()].reduce((s, c) => s + c.attempts - 1, 0),
    },
    popups: {
      inCustomers: popups.length,
      seenByOperator: clientByCall.size,
      viaCatchUp: [...client.seen.values()].filter((p) => p.via === 'catch-up').length,
      liveRedeliveries,
      lost: lostAtClient.length,
      lostInPipeline: lostInPipeline.length,
      duplicated: dbDuplicates.size + clientDuplicates.size,
    },
    billing: { rated: rated.length, billedWrong: billedWrong.length },
    deadLetters: await deadLetterTotal(),
    operatorClient: client.stats(),
    samples: {
      lost: lostAtClient.slice(0, 5),
      lostInPipeline: lostInPipeline.slice(0, 5),
      billedWrong: billedWrong.slice(0, 5),
      refused: refused.slice(0, 3).map(([id, c]) => `${id}: ${c.refused}`),
    },
  };
}

/**
 * One trace per call: the call event telephony published and the popup customers built from it
 * must carry the same W3C trace id (the gateway pushes that popup envelope).
 */
async function traceContinuity(rungCalls) {
  const kafka = new Kafka({ clientId: 'drill-trace', brokers: [`127.0.0.1:${kafkaPort}`], logLevel: logLevel.NOTHING });
  const topics = ['telephony.call-events.v1', 'customers.popups.v1'];
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map();
  for (const topic of topics) {
    const offsets = await admin.fetchTopicOffsets(topic);
    remaining.set(
      topic,
      offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0),
    );
  }
  await admin.disconnect();
  const traces = { 'telephony.call-events.v1': new Map(), 'customers.popups.v1': new Map() };
  const consumer = kafka.consumer({ groupId: `drill-trace-${runId}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, 30_000);
    const check = () => {
      if (![...remaining.values()].every((n) => n <= 0)) return;
      clearTimeout(timer);
      resolve();
    };
    check();
    void consumer.run({
      eachMessage: async ({ topic, message }) => {
        remaining.set(topic, remaining.get(topic) - 1);
        try {
          const envelope = JSON.parse(message.value?.toString('utf8') ?? '');
          const callId = envelope.payload?.callId;
          if (typeof callId === 'string' && rungCalls.has(callId)) {
            traces[topic].set(callId, envelope.traceparent?.split('-')[1] ?? null);
          }
        } catch {
          // not an envelope (a poison message): not ours to judge here
        }
        check();
      },
    });
  });
  await consumer.disconnect();
  let same = 0;
  let different = 0;
  let missing = 0;
  for (const [callId, callTrace] of traces['telephony.call-events.v1']) {
    const popupTrace = traces['customers.popups.v1'].get(callId);
    if (!callTrace || popupTrace === null) missing += 1;
    else if (popupTrace === undefined) continue;
    else if (popupTrace === callTrace) same += 1;
    else different += 1;
  }
  return {
    callsWithBothEvents: same + different,
    sameTraceId: same,
    differentTraceId: different,
    withoutTraceparent: missing,
  };
}

// ---------------------------------------------------------------- the drill
async function main() {
  const startedAt = Date.now();
  if (!args.includes('--no-build')) {
    log('building (tsc -b tsconfig.build.json)');
    await run('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: root, maxBuffer: 1 << 24 });
  }

  log(`starting a broker of our own on 127.0.0.1:${kafkaPort} (fresh log under .run/drill)`);
  await kafka('kafka-stop.sh');
  rmSync(join(drillRun, 'kafka/data'), { recursive: true, force: true });
  mkdirSync(drillRun, { recursive: true });
  writeFileSync(appLog, '');
  await kafka('kafka-start.sh');

  log('resetting the _drill databases (migrations + demo tenant)');
  await prepareDatabases(dbSuffix);

  log('starting licensing, telephony, customers, billing, gateway');
  await startApp('licensing');
  await Promise.all(['telephony', 'customers', 'billing'].map(startApp));
  await startApp('gateway');

  const operator = await login();
  await registerDrillSeat(operator.user.id);
  const token = operator.accessToken;
  const drillStart = new Date();
  const client = operatorClient(token, drillStart);
  const calls = ringer();

  // The gateway's consumer group joins at the end of the topic: wait until popups flow.
  for (let i = 0; i < 120 && client.seen.size === 0; i++) await sleep(500);
  if (client.seen.size === 0) throw new Error('no popup reached the operator within 60 s: the stack does not work');
  log(`popups flowing (${client.seen.size} so far); faults start`);

  const faults = [];
  let poisonId;
  if (poisonFault) {
    poisonId = await injectPoison();
    log(`poison: a ${POISON_BYTES}-byte popup written to customers' outbox (row ${poisonId})`);
  }
  const fault = async (name, signal, down, up, seconds = downSeconds) => {
    const before = calls.calls.size;
    const t0 = Date.now();
    await down();
    await sleep(seconds * 1000);
    await up();
    const recoveredMs = Date.now() - t0;
    log(
      `${name} ${signal}: down and back in ${(recoveredMs / 1000).toFixed(1)} s, ${calls.calls.size - before} calls rung meanwhile`,
    );
    faults.push({ target: name, signal, recoveredMs, callsDuring: calls.calls.size - before });
    await sleep(4_000);
  };
  for (const [name, signal] of appFaults) {
    await fault(
      name,
      signal,
      () => stopApp(name, signal),
      () => startApp(name),
    );
  }
  if (brokerFault)
    await fault(
      'kafka broker',
      'stop',
      () => kafka('kafka-stop.sh'),
      () => kafka('kafka-start.sh'),
    );

  // The Postgres outage last: no app restarts after it, so the dead-letter counters read after the
  // drain hold everything dead-lettered since it began.
  let deadLettersBeforePostgres;
  if (postgresFault) {
    deadLettersBeforePostgres = await deadLetterTotal();
    await fault(
      'postgres (every _drill database)',
      'connections refused',
      blockDatabases,
      allowDatabases,
      pgDownSeconds,
    );
  }

  await sleep(4_000);
  await calls.stop();
  log(`ringing stopped: ${calls.calls.size} calls; waiting up to ${settleSeconds} s for the pipeline to drain`);
  const rung = () => [...calls.calls.values()].filter((c) => c.accepted).length;
  let report;
  for (let waited = 0; waited <= settleSeconds; waited += 5) {
    report = await verdict(calls.calls, client);
    const { popups, billing } = report;
    if (popups.lost === 0 && popups.lostInPipeline === 0 && billing.rated >= rung()) break;
    await sleep(5_000);
  }
  report = await verdict(calls.calls, client);
  client.dispose();
  report.traces = await traceContinuity(
    new Set([...calls.calls].filter(([, c]) => c.accepted).map(([id]) => id)),
  ).catch((err) => ({ error: err.message }));
  report.faults = faults;
  if (poisonId) report.poison = await poisonVerdict(poisonId);
  if (deadLettersBeforePostgres !== undefined) {
    report.deadLettersDuringPostgresOutage = report.deadLetters - deadLettersBeforePostgres;
  }
  report.calls.notRungWhileWaitingFull = calls.deferred();
  report.settings = {
    ratePerSecond: rate,
    downSeconds,
    maxWaiting,
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
  };
  return report;
}

async function cleanup() {
  // Never leave the drill's databases fenced off, whatever stopped the drill.
  if (postgresFault) await allowDatabases().catch(() => undefined);
  await Promise.allSettled([...running.keys()].map((name) => stopApp(name, 'SIGTERM')));
  await kafka('kafka-stop.sh').catch(() => undefined);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping the drill stack`);
    void cleanup().finally(() => process.exit(130));
  });
}

let exitCode = 1;
try {
  const report = await main();
  const { popups, billing } = report;
  // The poison must be parked (not sent, not stuck in the outbox blocking the rest) and the
  // Postgres outage must cost no dead letter: it is transient, consumers wait it out.
  const poisonOk = !report.poison || (report.poison.parked && report.poison.stillInOutbox === 0);
  const outageOk = !report.deadLettersDuringPostgresOutage;
  exitCode = popups.lost === 0 && popups.duplicated === 0 && billing.billedWrong === 0 && poisonOk && outageOk ? 0 : 1;
  console.log(JSON.stringify(report, null, 2));
  console.log(
    `drill: ${report.calls.rung} calls rung, popups lost ${popups.lost}, duplicated ${popups.duplicated}, billed wrong ${billing.billedWrong}` +
      ` (${report.faults.length} faults, ${report.deadLetters} dead letters` +
      `${report.deadLettersDuringPostgresOutage !== undefined ? `, ${report.deadLettersDuringPostgresOutage} during the Postgres outage` : ''}` +
      `${report.poison ? `, poison ${report.poison.parked ? 'parked' : 'NOT parked'}` : ''}) -> ${exitCode === 0 ? 'PASS' : 'FAIL'}`,
  );
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(report, null, 2)}\n`);
} catch (err) {
  console.error(`drill aborted: ${err instanceof Error ? err.message : err}`);
} finally {
  await cleanup();
}
process.exit(exitCode);
