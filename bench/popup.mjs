// npm run bench:popup — webhook 202 → popup at a graphql-ws client, on the real stack.
//   RATE=100 DURATION=20 npm run bench:popup
//   LOOKUP_MS=50 RATE=20 npm run bench:popup   with a lookup source (docs/product-rules.md §9)
// Prints p50/p95/p99 of the end-to-end latency, and the floor measured on the same machine in
// the same run: two raw kafkajs produce→consume hops plus one indexed Postgres lookup; and the CPU
// each call cost over the measured window, from the processes' own counters (/proc/<pid>/stat).
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createClient } from 'graphql-ws';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import pg from 'pg';
import WebSocket from 'ws';
import { demoWebhook, signWebhook } from '../deploy/local/ring.mjs';
import { prepareDatabases, startStack } from '../deploy/local/stack.mjs';

const RATE = Number(process.env.RATE ?? 100);
const DURATION = Number(process.env.DURATION ?? 20);
const WARMUP = Number(process.env.WARMUP ?? 3);
const demoCustomerPhone = '090-1111-2222';
// LOOKUP_MS: the demo tenant gets an HTTPS-kind lookup source, a server of this process on
// 127.0.0.1 answering every lookup with one card after LOOKUP_MS; LOOKUP_BUDGET_MS is the source's
// budget (default 300: a slower source's card follows as an update); LOOKUP_CACHE_MS the stack's
// LOOKUP_CACHE_TTL_MS (default 0, so every ring asks the source even with CALLERS=one).
const LOOKUP_MS = process.env.LOOKUP_MS === undefined ? null : Number(process.env.LOOKUP_MS);
const LOOKUP_BUDGET_MS = Number(process.env.LOOKUP_BUDGET_MS ?? 300);
const LOOKUP_CACHE_MS = process.env.LOOKUP_CACHE_MS ?? '0';
// CALLERS=one (default): every call from the demo customer; unknown: a different unknown mobile number per call.
const CALLERS = process.env.CALLERS ?? 'one';
let unknownCaller = 0;
const callerOf = () =>
  CALLERS === 'unknown'
    ? `080-${String(1000 + Math.floor(unknownCaller / 10000)).slice(-4)}-${String(unknownCaller++ % 10000).padStart(4, '0')}`
    : demoCustomerPhone;

// CPU per call: user+system time (/proc/<pid>/stat utime+stime, in clock ticks) of every process of
// the stack, read before and after the measured window: the five apps (this process's children),
// the Kafka broker (java), Postgres' own processes and its backends serving the `_bench` databases
// (backends of other databases, e.g. other test runs on a shared server, are left out), and this
// load generator separately. The broker and Postgres' background processes are shared with
// whatever else runs on the machine: on a busy machine their share is an upper bound.
const CLK_TCK = 100; // `getconf CLK_TCK` on Linux
function readStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after "pid (comm) ": f[0] state, f[1] ppid, f[11] utime, f[12] stime
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null; // gone meanwhile
  }
}
function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}
function stackCpu() {
  const out = { apps: 0, kafka: 0, postgres: 0, pids: new Map() };
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    const pid = Number(name);
    const st = readStat(pid);
    if (!st) continue;
    const cmd = cmdline(pid);
    let group = null;
    if (st.ppid === process.pid && cmd.includes('dist/src/main.js')) group = 'apps';
    else if (/^\S*java /.test(cmd) && cmd.includes('kafka')) group = 'kafka';
    else if (
      /postgres/.test(cmd) &&
      (cmd.includes('/bin/postgres ') ||
        /^postgres: [^ ]+: (checkpointer|background writer|walwriter|autovacuum launcher|logical replication launcher|stats)/.test(
          cmd,
        ) ||
        /^postgres: [^ ]+: \S+ \S+_bench /.test(cmd))
    )
      group = 'postgres';
    if (!group) continue;
    const app = group === 'apps' ? (/(services\/)?([a-z]+)\/dist\/src\/main\.js/.exec(cmd)?.[2] ?? 'app') : null;
    out.pids.set(pid, { group, app, ticks: st.ticks });
  }
  return out;
}
function cpuBetween(before, after) {
  const ms = { apps: 0, kafka: 0, postgres: 0, byApp: {} };
  for (const [pid, a] of after.pids) {
    const b = before.pids.get(pid);
    // A process started during the window (a new pooled backend) counts whole.
    const d = ((a.ticks - (b?.ticks ?? 0)) * 1000) / CLK_TCK;
    ms[a.group] += d;
    if (a.app) ms.byApp[a.app] = (ms.byApp[a.app] ?? 0) + d;
  }
  return ms;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), max: s.at(-1) };
};
const fmt = (x) => `${x.toFixed(2)} ms`;

async function measureFloor(samples = 500) {
  const kafka = new Kafka({ clientId: 'bench-floor', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const [a, b] = [`bench.floor.a.${Date.now()}`, `bench.floor.b.${Date.now()}`];
  await admin.createTopics({ waitForLeaders: true, topics: [a, b].map((topic) => ({ topic, numPartitions: 1 })) });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const relay = kafka.consumer({ groupId: `bench-floor-relay-${Date.now()}`, maxWaitTimeInMs: 100 });
  const sink = kafka.consumer({ groupId: `bench-floor-sink-${Date.now()}`, maxWaitTimeInMs: 100 });
  const waiting = new Map();
  const joined = (c) => new Promise((r) => c.on(c.events.GROUP_JOIN, r));
  for (const [c, t] of [
    [relay, a],
    [sink, b],
  ]) {
    await c.connect();
    await c.subscribe({ topic: t, fromBeginning: true });
  }
  const j = Promise.all([joined(relay), joined(sink)]);
  await relay.run({
    eachMessage: async ({ message }) => void (await producer.send({ topic: b, acks: -1, messages: [message] })),
  });
  await sink.run({ eachMessage: async ({ message }) => waiting.get(message.key.toString())?.() });
  await j;
  const db = new pg.Client({ host: '127.0.0.1', user: process.env.PGUSER ?? 'postgres', database: 'postgres' });
  await db.connect();
  await db.query('CREATE TEMP TABLE floor_numbers (e164 text PRIMARY KEY, name text)');
  await db.query(
    `INSERT INTO floor_numbers SELECT '+8190' || lpad(g::text, 8, '0'), 'n' || g FROM generate_series(1, 100000) g`,
  );
  await db.query('ANALYZE floor_numbers');
  const hops = [];
  const lookups = [];
  for (let i = 0; i < samples; i++) {
    const key = randomUUID();
    const t0 = performance.now();
    const done = new Promise((r) => waiting.set(key, r));
    await producer.send({ topic: a, acks: -1, messages: [{ key, value: 'x' }] });
    await done;
    hops.push(performance.now() - t0);
    const t1 = performance.now();
    await db.query('SELECT name FROM floor_numbers WHERE e164 = $1', [
      `+8190${String(1 + (i % 100000)).padStart(8, '0')}`,
    ]);
    lookups.push(performance.now() - t1);
    waiting.delete(key);
  }
  await Promise.all([relay.disconnect(), sink.disconnect(), producer.disconnect()]);
  await admin.deleteTopics({ topics: [a, b] }).catch(() => undefined);
  await admin.disconnect();
  await db.end();
  const total = hops.map((h, i) => h + lookups[i]);
  return { hops: summary(hops), lookup: summary(lookups), floor: summary(total) };
}

async function gql(url, query, variables, token) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** The tenant's own service as an HTTPS-kind source would be: one card per lookup, after LOOKUP_MS. */
async function startLookupSource(delayMs) {
  const served = { lookups: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const message = JSON.parse(body || '{}');
      if (message.type !== 'lookup') return void res.writeHead(204).end();
      served.lookups++;
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            cards: [
              {
                id: `bench-${message.number}`,
                title: 'ベンチ商事株式会社',
                fields: [
                  { label: '担当者', value: '山田 花子' },
                  { label: 'ランク', value: 'A' },
                ],
                links: [{ label: 'CRMで開く', url: 'https://crm.example.test/customers/1' }],
              },
            ],
          }),
        );
      }, delayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, served, url: `http://127.0.0.1:${server.address().port}/lookup` };
}

/**
 * Puts the demo tenant on the Integration plan as customers learns it (services/customers/src/lookup/
 * plans.consumer.ts): billing's contract event on the stack's billing.contracts.v1, newer than the
 * seeded contract's, and adds the lookup source as the tenant admin once customers has it.
 */
async function configureLookup(stack, endpoint) {
  const { demo } = createRequire(import.meta.url)('../libs/platform/dist/demo.js');
  const producer = new Kafka({
    clientId: 'bench-plan',
    brokers: ['127.0.0.1:9092'],
    logLevel: logLevel.NOTHING,
  }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const at = new Date().toISOString();
  await producer.send({
    topic: `${stack.topicPrefix}billing.contracts.v1`,
    acks: -1,
    messages: [
      {
        key: demo.tenantId,
        value: JSON.stringify({
          id: randomUUID(),
          type: 'billing.contract-changed',
          tenantId: demo.tenantId,
          occurredAt: at,
          payload: {
            contractId: randomUUID(),
            version: 1_000_000,
            status: 'active',
            connectionPacks: 0,
            planCode: 'INTEGRATION',
            at,
          },
        }),
      },
    ],
  });
  await producer.disconnect();
  const { login } = await gql(
    stack.urls.gateway,
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
    { e: demo.admin.email, p: demo.admin.password },
  );
  const input = {
    name: 'bench',
    kind: 'HTTPS',
    endpoint,
    budgetMs: LOOKUP_BUDGET_MS,
    phoneFields: [],
    displayFields: [],
  };
  for (let attempt = 0; ; attempt++) {
    try {
      await gql(
        stack.urls.gateway,
        'mutation($i: LookupSourceInput!) { createLookupSource(input: $i) { source { id } } }',
        { i: input },
        login.accessToken,
      );
      return;
    } catch (err) {
      if (!String(err.message).includes('LOOKUP_PLAN_REQUIRED') || attempt >= 60) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function main() {
  console.log(
    `bench:popup rate=${RATE}/s duration=${DURATION}s (+${WARMUP}s warm-up)${LOOKUP_MS === null ? '' : ` lookup source answering in ${LOOKUP_MS} ms (budget ${LOOKUP_BUDGET_MS} ms, cache ${LOOKUP_CACHE_MS} ms)`}`,
  );
  await prepareDatabases('_bench');
  const lookup = LOOKUP_MS === null ? null : await startLookupSource(LOOKUP_MS);
  const stack = await startStack({
    portBase: 8000,
    dbSuffix: '_bench',
    groupPrefix: `bench-${Date.now()}`,
    // The source listens on 127.0.0.1, which only this allows (the SSRF rule, docs/security.md).
    env: lookup ? { LOOKUP_ALLOWED_CIDRS: '127.0.0.1/32', LOOKUP_CACHE_TTL_MS: LOOKUP_CACHE_MS } : {},
  });
  try {
    if (lookup) await configureLookup(stack, lookup.url);
    const { login } = await gql(
      stack.urls.gateway,
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
      { e: 'operator@demo.thankstar.jp', p: 'demo-operator-2026' },
    );
    const arrived = new Map();
    const withCards = { first: 0, late: 0 };
    const client = createClient({
      url: stack.urls.gatewayWs,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${login.accessToken}`, deviceKind: 'web', label: 'bench' },
    });
    await new Promise((resolve, reject) => {
      client.subscribe(
        { query: 'subscription { popups { popupId callId class cards { title } } }' },
        {
          next: ({ data }) => {
            // The first arrival is what the operator waits for; a popup re-sent with late cards is counted apart.
            if ((data.popups.cards ?? []).length > 0) {
              if (arrived.has(data.popups.callId)) withCards.first++;
              else withCards.late++;
            }
            arrived.get(data.popups.callId)?.(performance.now());
          },
          error: reject,
          complete: () => undefined,
        },
      );
      client.on('connected', () => setTimeout(resolve, 500));
    });

    // Where the time goes: the produce time (CreateTime) of each call's event and of its popup,
    // read from the stack's own topics, against the 202 and the client's arrival (one clock).
    const prefix = stack.topicPrefix;
    const produced = { call: new Map(), popup: new Map() };
    const tap = new Kafka({ clientId: 'bench-tap', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING }).consumer({
      groupId: `bench-tap-${Date.now()}`,
      maxWaitTimeInMs: 100,
    });
    await tap.connect();
    await tap.subscribe({
      topics: [`${prefix}telephony.call-events.v1`, `${prefix}customers.popups.v1`],
      fromBeginning: false,
    });
    const tapJoined = new Promise((r) => tap.on(tap.events.GROUP_JOIN, r));
    await tap.run({
      eachMessage: async ({ topic, message }) => {
        const callId = JSON.parse(message.value.toString()).payload?.callId;
        (topic.endsWith('telephony.call-events.v1') ? produced.call : produced.popup).set(
          callId,
          Number(message.timestamp),
        );
      },
    });
    await tapJoined;
    const hops = { toCallEvent: [], toPopup: [], toClient: [] };
    const walls = [];

    const latencies = [];
    let sent = 0;
    let lost = 0;
    const inflight = [];
    const ringOne = async (record) => {
      const callId = randomUUID();
      const body = JSON.stringify({
        callId,
        event: 'ringing',
        from: callerOf(),
        to: '03-1234-5678',
        occurredAt: new Date().toISOString(),
      });
      const got = new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), 10_000);
        arrived.set(callId, (t) => {
          clearTimeout(timer);
          resolve(t);
        });
      });
      const res = await fetch(`${stack.urls.telephony}/v1/calls/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-thankstar-key': demoWebhook.keyId,
          'x-thankstar-signature': signWebhook(body, demoWebhook.secret),
        },
        body,
      });
      const acceptedAt = performance.now();
      const acceptedWall = Date.now();
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
      const t = await got;
      arrived.delete(callId);
      if (!record) return;
      sent++;
      if (t === null) lost++;
      else {
        latencies.push(t - acceptedAt);
        walls.push({ callId, acceptedWall, arrivedWall: acceptedWall + (t - acceptedAt) });
      }
    };
    const runFor = async (seconds, record) => {
      const interval = 1000 / RATE;
      const start = performance.now();
      for (let i = 0; performance.now() - start < seconds * 1000; i++) {
        const due = start + i * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        inflight.push(ringOne(record));
      }
      await Promise.all(inflight.splice(0));
    };
    // The stack's CPU with no calls (consumers polling, relays' safety-net polls, heartbeats), so
    // the per-call figure can be read net of what an idle stack costs over the same time.
    const IDLE = Number(process.env.IDLE ?? 3);
    const idleBefore = stackCpu();
    await new Promise((r) => setTimeout(r, IDLE * 1000));
    const idle = cpuBetween(idleBefore, stackCpu());
    const idlePerSecond = (idle.apps + idle.kafka + idle.postgres) / IDLE;
    await runFor(WARMUP, false);
    const windowStart = performance.now();
    const cpuBefore = stackCpu();
    const clientBefore = process.cpuUsage();
    await runFor(DURATION, true);
    const cpu = cpuBetween(cpuBefore, stackCpu());
    const windowSeconds = (performance.now() - windowStart) / 1000;
    const clientUsage = process.cpuUsage(clientBefore);
    const clientMs = (clientUsage.user + clientUsage.system) / 1000;
    await client.dispose();
    // The tap may lag behind the gateway: let it catch up, then split each call's time.
    for (let i = 0; i < 50 && walls.some((w) => !produced.popup.has(w.callId)); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await tap.disconnect();
    for (const { callId, acceptedWall, arrivedWall } of walls) {
      const [callAt, popupAt] = [produced.call.get(callId), produced.popup.get(callId)];
      if (callAt === undefined || popupAt === undefined) continue;
      hops.toCallEvent.push(callAt - acceptedWall);
      hops.toPopup.push(popupAt - callAt);
      hops.toClient.push(Math.round(arrivedWall - popupAt));
    }

    const e2e = summary(latencies);
    const hop = (name, xs) => {
      const h = summary(xs);
      return `${name} p50 ${h.p50} ms p99 ${h.p99} ms`;
    };
    const floor = await measureFloor();
    console.log(`calls: ${sent} sent, ${lost} without a popup within 10 s`);
    if (lookup)
      console.log(
        `lookup source: ${lookup.served.lookups} lookups served; popups (warm-up included) with the card on first arrival ${withCards.first}, with it in a later update ${withCards.late}`,
      );
    console.log(
      `webhook 202 -> popup:   p50 ${fmt(e2e.p50)}  p95 ${fmt(e2e.p95)}  p99 ${fmt(e2e.p99)}  max ${fmt(e2e.max)}`,
    );
    console.log(
      `  where (ms clock, ${hops.toCallEvent.length} calls): ${hop('202 -> call event produced (telephony outbox relay)', hops.toCallEvent)}; ${hop('-> popup produced (customers)', hops.toPopup)}; ${hop('-> client (gateway)', hops.toClient)}`,
    );
    console.log(
      `floor (2 kafka hops + 1 indexed lookup): p50 ${fmt(floor.floor.p50)}  p95 ${fmt(floor.floor.p95)}  p99 ${fmt(floor.floor.p99)}`,
    );
    console.log(
      `  2 kafka hops: p50 ${fmt(floor.hops.p50)} p99 ${fmt(floor.hops.p99)}; lookup: p50 ${fmt(floor.lookup.p50)} p99 ${fmt(floor.lookup.p99)}`,
    );
    const stackMs = cpu.apps + cpu.kafka + cpu.postgres;
    const perCall = (x) => `${(x / Math.max(sent, 1)).toFixed(2)} ms`;
    console.log(
      `CPU per call (user+system over the measured window, /proc counters): stack ${perCall(stackMs)} (apps ${perCall(cpu.apps)}: ${Object.entries(
        cpu.byApp,
      )
        .map(([n, x]) => `${n} ${perCall(x)}`)
        .join(
          ', ',
        )}; kafka ${perCall(cpu.kafka)}, postgres ${perCall(cpu.postgres)}); load generator ${perCall(clientMs)}; all ${perCall(stackMs + clientMs)}; load average ${(await import('node:os')).loadavg()[0].toFixed(1)}`,
    );
    console.log(
      `  idle stack (no calls, ${IDLE} s before the warm-up): ${idlePerSecond.toFixed(0)} ms CPU/s; stack net of idle over the ${windowSeconds.toFixed(1)} s window: ${perCall(Math.max(stackMs - idlePerSecond * windowSeconds, 0))}`,
    );
    console.log(
      `ratio p50 ${(e2e.p50 / floor.floor.p50).toFixed(2)}x, p99 ${(e2e.p99 / floor.floor.p99).toFixed(2)}x; target p99 <= 30 ms: ${e2e.p99 <= 30 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await stack.stop();
    lookup?.server.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
