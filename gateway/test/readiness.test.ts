import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from '../src/server';
import { startTestJwks } from './support/jwks-server';

/**
 * The gateway's readiness without the broker (docs/decisions/0010-readiness-without-broker.md),
 * against a real broker of the test's own (deploy/local/kafka-start.sh on its own port and state;
 * the shared broker is never touched): ready once its supergraph is loaded and its revocation
 * list caught up, and still ready, with `broker: 'down'`, when the broker goes away.
 */
const repo = fileURLToPath(new URL('../..', import.meta.url));
const brokerPort = 29_192;
const brokerEnv = {
  ...process.env,
  THANKSTAR_RUN: `${repo}.run/readiness-test-gateway`,
  KAFKA_PORT: String(brokerPort),
  KAFKA_CONTROLLER_PORT: String(brokerPort + 1),
};
const run = promisify(execFile);
const broker = (script: 'kafka-start.sh' | 'kafka-stop.sh') =>
  run('bash', [`${repo}deploy/local/${script}`], { env: brokerEnv, maxBuffer: 1 << 24 });

async function probe(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function eventually<T>(check: () => Promise<T | undefined>, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('gateway readiness without the broker', { timeout: 180_000 }, () => {
  let jwks: Awaited<ReturnType<typeof startTestJwks>>;
  let gateway: RunningGateway | undefined;

  beforeAll(async () => {
    jwks = await startTestJwks();
    await broker('kafka-start.sh');
  });

  afterAll(async () => {
    await gateway?.close();
    await jwks?.close();
    await broker('kafka-stop.sh');
  });

  it('is ready with the broker up, and stays ready with the broker down (a degraded detail)', async () => {
    gateway = await startGateway({
      port: 0,
      host: '127.0.0.1',
      instanceId: `readiness-${randomUUID().slice(0, 8)}`,
      subgraphUrls: {},
      jwksUrl: jwks.url,
      kafkaBrokers: [`127.0.0.1:${brokerPort}`],
      introspection: false,
    });
    const base = `http://127.0.0.1:${gateway.port}`;
    const ready = await eventually(async () => {
      const h = await probe(`${base}/health`);
      return h.status === 200 ? h : undefined;
    }, 'the gateway ready');
    expect(ready.body).toEqual({ status: 'ok', supergraph: 'loaded', broker: 'up', revocations: 'caught-up' });

    await broker('kafka-stop.sh');

    expect(await probe(`${base}/health/live`)).toEqual({ status: 200, body: { status: 'ok' } });
    const degraded = await eventually(async () => {
      const h = await probe(`${base}/health`);
      return h.body.broker === 'down' ? h : undefined;
    }, 'the broker seen down');
    expect(degraded).toEqual({
      status: 200,
      body: { status: 'ok', supergraph: 'loaded', broker: 'down', revocations: 'caught-up' },
    });
    // It still serves GraphQL: a request without a token gets the gateway's own answer.
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
