import { createRequire } from 'node:module';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceDatabase } from '../src/observability/tracing';

// Real Postgres: a query made through `pg` inside a request's span shows up in the trace as a
// CLIENT span under it (the spans go to an in-memory exporter instead of OTLP).
describe('database spans (instrumentation-pg, real Postgres)', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let stop: () => void = () => undefined;

  beforeAll(() => {
    provider.register();
    stop = traceDatabase(provider);
  });

  afterAll(async () => {
    stop();
    await provider.shutdown();
  });

  it('puts each query under the span that was active when it ran, and none without a parent', async () => {
    // Required (not imported) after the instrumentation is on, as TypeORM requires its driver.
    const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
    const client = new pg.Client({ host: '127.0.0.1', user: process.env.PGUSER ?? 'postgres', database: 'postgres' });
    await client.connect();
    try {
      await client.query('SELECT 1 AS outside_any_request');
      const parent = provider.getTracer('test').startSpan('POST /graphql', { kind: SpanKind.SERVER });
      await context.with(trace.setSpan(context.active(), parent), async () => {
        await client.query('SELECT $1::int AS answer', [42]);
      });
      parent.end();
    } finally {
      await client.end();
    }

    const spans = exporter.getFinishedSpans();
    const server = spans.find((s) => s.name === 'POST /graphql');
    const queries = spans.filter((s) => s.kind === SpanKind.CLIENT);
    expect(server).toBeDefined();
    expect(queries).toHaveLength(1);
    const query = queries[0];
    expect(query?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(query?.spanContext().traceId).toBe(server?.spanContext().traceId);
    expect(JSON.stringify(query?.attributes)).toContain('SELECT $1::int AS answer');
    expect(JSON.stringify(query?.attributes)).toContain('postgresql');
    // The parameter values are not recorded (enhancedDatabaseReporting off): no personal data in traces.
    expect(JSON.stringify(query?.attributes)).not.toContain('42');
    expect(spans.some((s) => JSON.stringify(s.attributes).includes('outside_any_request'))).toBe(false);
  });
});
