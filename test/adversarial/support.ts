import { randomUUID } from 'node:crypto';
import {
  databaseUrl,
  type IncomingMessage,
  KafkaJsBus,
  kafkaBrokersFromEnv,
  MessagingTables1764400000000,
  OutboxParked1764400000001,
  type ServiceDataSourceOptions,
  type Subscription,
} from '@thankstar/platform';
import { resetDatabase } from '@thankstar/platform/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

/** A database of the attack tests' own, with the platform's messaging tables and nothing else. */
export function adversarialDatabase(name: string): ServiceDataSourceOptions {
  return {
    service: `adversarial_${name}`,
    entities: [],
    migrations: [MessagingTables1764400000000, OutboxParked1764400000001],
  };
}

export async function openDatabase(options: ServiceDataSourceOptions): Promise<DataSource> {
  await resetDatabase(options);
  const ds = new DataSource({ type: 'postgres', url: databaseUrl(options.service), entities: [], extra: { max: 4 } });
  await ds.initialize();
  return ds;
}

/** A bus whose topics are this run's alone (fresh topics: nothing from another run is replayed). */
export function freshBus(clientId: string): { bus: KafkaJsBus; prefix: string } {
  const prefix = `adv-${randomUUID().slice(0, 8)}.`;
  return { bus: new KafkaJsBus({ clientId, brokers: kafkaBrokersFromEnv(), topicPrefix: prefix }), prefix };
}

/** Everything that arrives on `topic` (from its beginning), for assertions. */
export async function collect(
  bus: KafkaJsBus,
  topic: string,
): Promise<{ messages: IncomingMessage[]; sub: Subscription }> {
  const messages: IncomingMessage[] = [];
  const sub = await bus.subscribe({
    groupId: `adv-collect-${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    commitOffsets: false,
    handle: async (m) => {
      messages.push(m);
    },
  });
  return { messages, sub };
}

export async function until<T>(
  what: string,
  read: () => Promise<T> | T,
  ok: (v: T) => boolean,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch {
      // the database may be away on purpose; keep asking
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Makes the real Postgres refuse a database for `ms`: new connections are refused
 * (ALLOW_CONNECTIONS false) and the open ones are terminated (57P01), then it is let back.
 */
export async function databaseOutage(options: ServiceDataSourceOptions, ms: number): Promise<void> {
  const url = new URL(databaseUrl(options.service));
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    await new Promise((r) => setTimeout(r, ms));
  } finally {
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    await admin.end();
  }
}
