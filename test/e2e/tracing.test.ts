/**
 * OpenTelemetry end to end: the built services and gateway run as processes with tracing on,
 * exporting to a small OTLP/HTTP (JSON) receiver in this test. One signed webhook must give one
 * trace whose spans, from telephony, customers and the gateway, hang together parent to child:
 * webhook → send call event → customers processes it → send popup → gateway processes it → push.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module shared with `npm start`
import { prepareDatabases, startStack } from '../../deploy/local/stack.mjs';
import { login, ring } from '../support/http';
import { type PopupWatcher, watchPopups } from '../support/live';

const demo = {
  operator: { email: 'operator@demo.thankstar.jp', password: 'demo-operator-2026' },
  webhook: { keyId: 'demo-key-1', secret: 'demo-webhook-secret-change-me' },
};

interface Stack {
  urls: { gateway: string; gatewayWs: string; telephony: string };
  logs: Map<string, string[]>;
  stop(): Promise<void>;
}

/** One span as received, flattened with its service name. */
interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  links: Array<{ traceId: string; spanId: string }>;
}

// OTLP SpanKind numbers.
const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpKeyValue {
  key: string;
  value: OtlpValue;
}
interface OtlpRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: OtlpKeyValue[];
        links?: Array<{ traceId: string; spanId: string }>;
      }>;
    }>;
  }>;
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries(
    (list ?? []).map((kv) => [kv.key, kv.value.stringValue ?? kv.value.intValue ?? kv.value.boolValue ?? null]),
  );
}

/** A minimal OTLP/HTTP trace receiver: POST /v1/traces with a JSON ExportTraceServiceRequest. */
function startReceiver(): Promise<{ server: Server; url: string; spans: ReceivedSpan[]; requests: string[] }> {
  const spans: ReceivedSpan[] = [];
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest;
      for (const rs of body.resourceSpans ?? []) {
        const service = String(attributesOf(rs.resource?.attributes)['service.name'] ?? '');
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              service,
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? '',
              name: s.name,
              kind: s.kind,
              attributes: attributesOf(s.attributes),
              links: (s.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, spans, requests });
    });
  });
}

const groupPrefix = `otel-${Date.now()}`;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let stack: Stack;
let watcher: PopupWatcher;

beforeAll(async () => {
  receiver = await startReceiver();
  await prepareDatabases('_otel');
  stack = (await startStack({
    portBase: 5500,
    dbSuffix: '_otel',
    groupPrefix,
    // Billing has no part in a popup; leaving it out keeps the stack small.
    only: ['licensing', 'telephony', 'customers', 'gateway'],
    env: {
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Export within a fraction of a second instead of the default 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '200',
    },
  })) as Stack;
  const operator = await login(stack.urls.gateway, demo.operator.email, demo.operator.password);
  watcher = await watchPopups(stack.urls.gatewayWs, operator, 'popupId callId class');
}, 300_000);

afterAll(async () => {
  await watcher?.close();
  await stack?.stop();
  await new Promise((resolve) => receiver?.server.close(resolve));
});

/** Waits (bounded by the test's timeout) until the trace has a span matching each predicate. */
async function spansOf(traceId: string, wanted: Array<(s: ReceivedSpan) => boolean>): Promise<ReceivedSpan[]> {
  for (;;) {
    const spans = receiver.spans.filter((s) => s.traceId === traceId);
    if (wanted.every((w) => spans.some(w))) return spans;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function one(spans: ReceivedSpan[], service: string, kind: number, name: string, group?: string): ReceivedSpan {
  const found = spans.filter(
    (s) =>
      s.service === service &&
      s.kind === kind &&
      s.name === name &&
      (group === undefined || s.attributes['messaging.consumer.group.name'] === group),
  );
  expect(found, `${service} ${name} ${group ?? ''}`).toHaveLength(1);
  return found[0] as ReceivedSpan;
}

async function ringAndCollect(headers: Record<string, string>) {
  const rung = await ring(stack.urls.telephony, { ...demo.webhook, headers });
  expect(rung.status, (stack.logs.get('telephony') ?? []).slice(-10).join('\n')).toBe(202);
  await watcher.waitFor(rung.callId);
  // The trace id is the one the gateway logged on the push (the log context names the consumer span).
  let traceId: string | undefined;
  while (!traceId) {
    traceId = (stack.logs.get('gateway') ?? [])
      .map((line) => {
        try {
          return JSON.parse(line) as { traceId?: string; callId?: string; msg?: string };
        } catch {
          return {};
        }
      })
      .find((l) => l.callId === rung.callId && l.msg?.includes('customers.popups.v1 pushed'))?.traceId;
    if (!traceId) await new Promise((r) => setTimeout(r, 100));
  }
  const spans = await spansOf(traceId, [
    (s) => s.service === 'telephony' && s.kind === SERVER,
    (s) => s.service === 'telephony' && s.kind === PRODUCER,
    (s) => s.service === 'customers' && s.kind === CONSUMER && s.name === 'process telephony.call-events.v1',
    (s) => s.service === 'customers' && s.kind === PRODUCER && s.name === 'send customers.popups.v1',
    (s) => s.service === 'gateway' && s.name === 'process customers.popups.v1',
    (s) => s.service === 'gateway' && s.name === 'push customers.popups.v1',
  ]);
  return { traceId, spans, callId: rung.callId };
}

function expectOneChain(spans: ReceivedSpan[], callId: string) {
  const webhook = one(spans, 'telephony', SERVER, 'POST /v1/calls/events');
  expect(webhook.attributes['http.response.status_code']).toBe(202);
  const sendCall = one(spans, 'telephony', PRODUCER, 'send telephony.call-events.v1');
  expect(sendCall.parentSpanId).toBe(webhook.spanId);
  // customers' popup handling: its one consumer group reads the call event and builds the popup.
  const processCall = one(spans, 'customers', CONSUMER, 'process telephony.call-events.v1', `${groupPrefix}.customers`);
  expect(processCall.parentSpanId).toBe(sendCall.spanId);
  // Linked to the event's creation context: the webhook's span, where telephony enqueued it.
  expect(processCall.links).toContainEqual({ traceId: webhook.traceId, spanId: webhook.spanId });
  const sendPopup = one(spans, 'customers', PRODUCER, 'send customers.popups.v1');
  expect(sendPopup.parentSpanId).toBe(processCall.spanId);
  expect(sendPopup.attributes['messaging.kafka.message.key']).toMatch(new RegExp(`:${callId}$`));
  const processPopup = one(spans, 'gateway', CONSUMER, 'process customers.popups.v1');
  expect(processPopup.parentSpanId).toBe(sendPopup.spanId);
  const push = one(spans, 'gateway', PRODUCER, 'push customers.popups.v1');
  expect(push.parentSpanId).toBe(processPopup.spanId);
  expect(push.attributes['thankstar.sockets']).toBeGreaterThanOrEqual(1);
  return webhook;
}

describe('OpenTelemetry traces', () => {
  it('continues the caller trace from the webhook through telephony, customers and the gateway push', async () => {
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const { traceId, spans, callId } = await ringAndCollect({ traceparent: `00-${callerTrace}-${callerSpan}-01` });
    expect(traceId).toBe(callerTrace);
    const webhook = expectOneChain(spans, callId);
    expect(webhook.parentSpanId).toBe(callerSpan);
    expect(receiver.requests.every((r) => r.startsWith('POST /v1/traces application/json'))).toBe(true);
  });

  it('puts a GraphQL request, the gateway’s fetch and the subgraph’s work in the caller’s trace', async () => {
    const callerTrace = '0af7651916cd43dd8448eb211c80319c';
    const callerSpan = 'b7ad6b7169203331';
    const res = await fetch(stack.urls.gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${callerTrace}-${callerSpan}-01` },
      body: JSON.stringify({
        query: 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
        variables: { e: demo.operator.email, p: demo.operator.password },
      }),
    });
    expect(res.status).toBe(200);
    const spans = await spansOf(callerTrace, [
      (s) => s.service === 'gateway' && s.kind === SERVER,
      (s) => s.service === 'licensing' && s.kind === SERVER,
    ]);
    const gatewayServer = one(spans, 'gateway', SERVER, 'POST /graphql');
    expect(gatewayServer.parentSpanId).toBe(callerSpan);
    const subgraph = one(spans, 'licensing', SERVER, 'POST /graphql');
    // The subgraph's parent is a span of the gateway in this trace (the Apollo gateway's fetch),
    // itself below the gateway's SERVER span.
    const byId = new Map(spans.map((x) => [x.spanId, x]));
    const chain: string[] = [];
    for (let at = byId.get(subgraph.parentSpanId); at; at = byId.get(at.parentSpanId)) chain.push(at.spanId);
    expect(byId.get(subgraph.parentSpanId)?.service).toBe('gateway');
    expect(chain).toContain(gatewayServer.spanId);
  });

  it('starts a trace at the webhook when the caller sends none, and the logs carry its id', async () => {
    const { traceId, spans, callId } = await ringAndCollect({});
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const webhook = expectOneChain(spans, callId);
    expect(webhook.parentSpanId).toBe('');
    // customers' log lines for this call name the same trace.
    const customersLines = (stack.logs.get('customers') ?? [])
      .map((line) => {
        try {
          return JSON.parse(line) as { traceId?: string; callId?: string };
        } catch {
          return {};
        }
      })
      .filter((l) => l.callId === callId);
    for (const l of customersLines) expect(l.traceId).toBe(traceId);
  });
});
