#!/usr/bin/env node
// Wait until a Kafka broker answers an admin call (Metadata / listTopics).
//
//   node deploy/local/kafka-wait.mjs [--bootstrap 127.0.0.1:9092] [--timeout 90] [--pid N] [--warm]
//
// Exit 0 once the broker answers; 1 on timeout; 2 if --pid is given and that
// process has exited (the broker died while starting). Silent on success.
// --warm (kafkajs only): then wait until the group and transaction coordinators
// answer (creating __consumer_offsets / __transaction_state on a fresh broker), so
// the first consumer group or idempotent producer of a test does not hit
// "coordinator not available / loading" retries. A failure there is only a warning.
// Uses kafkajs (from the repo's node_modules) when it can be imported; otherwise
// falls back to a raw Metadata v1 request so it also works before `npm install`.
// THANKSTAR_KAFKA_WAIT_RAW=1 forces the fallback.
import net from 'node:net';

function parseArgs(argv) {
  const out = { bootstrap: `127.0.0.1:${process.env.KAFKA_PORT || '9092'}`, timeout: 90, pid: 0, warm: false };
  for (let i = 0; i < argv.length; i++) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--warm') {
      out.warm = true;
      continue;
    }
    if (k === '--bootstrap') out.bootstrap = v;
    else if (k === '--timeout') out.timeout = Number(v);
    else if (k === '--pid') out.pid = Number(v);
    else {
      console.error(`kafka-wait: unknown argument ${k}`);
      process.exit(64);
    }
    i++;
  }
  if (!(out.timeout > 0)) {
    console.error('kafka-wait: --timeout must be a positive number of seconds');
    process.exit(64);
  }
  return out;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

async function loadKafkajs() {
  if (process.env.THANKSTAR_KAFKA_WAIT_RAW === '1') return null;
  try {
    const m = await import('kafkajs');
    return m.default ?? m;
  } catch {
    return null;
  }
}

function makeKafkajsProbe({ Kafka, logLevel }, bootstrap) {
  return async () => {
    const kafka = new Kafka({
      clientId: 'thankstar-kafka-wait',
      brokers: [bootstrap],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      requestTimeout: 3000,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.listTopics();
    } finally {
      await admin.disconnect().catch(() => {});
    }
  };
}

async function warm({ Kafka, logLevel }, bootstrap) {
  const kafka = new Kafka({
    clientId: 'thankstar-kafka-warm',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 40, initialRetryTime: 50, maxRetryTime: 500, multiplier: 1.5 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // FindCoordinator(GROUP) makes the broker create __consumer_offsets if missing; kafkajs
    // retries until the group coordinator has loaded it.
    await admin.describeGroups(['thankstar-warmup']);
    // InitProducerId without a transactional id: after a restart the broker must first get
    // a block of producer ids from the controller and answers COORDINATOR_LOAD_IN_PROGRESS
    // until then (kafkajs logs that as an ERROR before retrying).
    const idempotent = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await idempotent.connect(); // kafkajs calls InitProducerId on connect when idempotent
    await idempotent.disconnect();
    // InitProducerId for a transactional id makes the broker create and load
    // __transaction_state (the transaction coordinator).
    const producer = kafka.producer({ transactionalId: 'thankstar-warmup', maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const tx = await producer.transaction(); // InitProducerId + begin (client side)
      await tx.abort(); // nothing was sent: no request to the broker
    } finally {
      await producer.disconnect();
    }
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

// Raw Metadata v1 (all topics) request; resolves when a response listing >= 1 broker arrives.
function rawProbe(bootstrap) {
  const idx = bootstrap.lastIndexOf(':');
  const host = bootstrap.slice(0, idx);
  const port = Number(bootstrap.slice(idx + 1));
  const clientId = Buffer.from('thankstar-kafka-wait');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4);
  let o = 0;
  o = body.writeInt16BE(3, o); // api key: Metadata
  o = body.writeInt16BE(1, o); // api version 1
  o = body.writeInt32BE(7, o); // correlation id
  o = body.writeInt16BE(clientId.length, o);
  o += clientId.copy(body, o);
  body.writeInt32BE(-1, o); // topics: null = all
  const frame = Buffer.concat([Buffer.alloc(4), body]);
  frame.writeInt32BE(body.length, 0);

  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    let buf = Buffer.alloc(0);
    const done = (err) => {
      sock.destroy();
      err ? reject(err) : resolve();
    };
    sock.setTimeout(3000, () => done(new Error('timeout')));
    sock.on('error', done);
    sock.on('connect', () => sock.write(frame));
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 12) return;
      const size = buf.readInt32BE(0);
      if (buf.length < 4 + size) return;
      const corr = buf.readInt32BE(4);
      const brokers = buf.readInt32BE(8);
      if (corr !== 7) return done(new Error(`unexpected correlation id ${corr}`));
      if (brokers < 1) return done(new Error('broker lists no brokers yet'));
      done();
    });
    sock.on('end', () => done(new Error('connection closed')));
  });
}

const args = parseArgs(process.argv.slice(2));
const kafkajs = await loadKafkajs();
const probe = kafkajs ? makeKafkajsProbe(kafkajs, args.bootstrap) : () => rawProbe(args.bootstrap);
const deadline = Date.now() + args.timeout * 1000;
let lastError = 'no attempt made';
for (;;) {
  if (!alive(args.pid)) {
    console.error(`kafka-wait: broker process ${args.pid} exited before ${args.bootstrap} answered`);
    process.exit(2);
  }
  try {
    await probe();
    if (args.warm && kafkajs) {
      await warm(kafkajs, args.bootstrap).catch((e) => {
        console.error(`kafka-wait: warning: could not pre-create internal topics: ${e?.message ?? e}`);
      });
    }
    process.exit(0);
  } catch (e) {
    lastError = e?.message ?? String(e);
  }
  if (Date.now() >= deadline) break;
  await sleep(250);
}
console.error(`kafka-wait: ${args.bootstrap} did not answer within ${args.timeout}s (last error: ${lastError})`);
process.exit(1);
