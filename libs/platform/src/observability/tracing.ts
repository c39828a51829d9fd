import {
  type Attributes,
  type Context,
  context,
  type Link,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { formatTraceparent, parseTraceparent } from './traceparent';

/**
 * OpenTelemetry tracing. Off unless the environment names an exporter (the usual OTEL_* variables,
 * see docs/operations.md "Tracing"): then every process exports its spans in batches over
 * OTLP/HTTP (JSON) under its own `service.name`. Off, no provider is registered and the API hands
 * out non-recording spans, so the code paths below cost next to nothing.
 *
 * The spans use the same W3C trace context the envelopes and Kafka headers already carry, so the
 * `traceId` in every log line is the trace id of the span the line was written in.
 */
export interface Tracing {
  readonly enabled: boolean;
  /** Exports what is buffered and stops; later spans are dropped. Safe to call twice. */
  shutdown(): Promise<void>;
}

const noTracing: Tracing = { enabled: false, shutdown: async () => undefined };
let current: Tracing = noTracing;

/** Which exporter the environment asks for: `otlp`, `console`, or none (tracing off). */
export function tracesExporterFromEnv(env: NodeJS.ProcessEnv = process.env): 'otlp' | 'console' | undefined {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return undefined;
  const named = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  if (named.includes('none')) return undefined;
  if (named.includes('otlp')) return 'otlp';
  if (named.includes('console')) return 'console';
  if (named.length > 0) {
    throw new Error(`OTEL_TRACES_EXPORTER=${named.join(',')} is not supported: use otlp, console or none.`);
  }
  return env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : undefined;
}

/**
 * Starts tracing for this process (once; a second call returns the first handle). Call it first
 * thing in a service's main. Returns a handle whose `shutdown` flushes the buffered spans.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing {
  if (current.enabled) return current;
  const kind = tracesExporterFromEnv(env);
  if (!kind) return noTracing;
  const exporter: SpanExporter = kind === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME || serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  // The default context manager (AsyncLocalStorage) and propagator (W3C trace context + baggage).
  provider.register();
  const stopDatabaseSpans = traceDatabase(provider);
  let stopping: Promise<void> | undefined;
  current = {
    enabled: true,
    shutdown: () => {
      stopDatabaseSpans();
      stopping ??= provider.shutdown().catch(() => undefined);
      return stopping;
    },
  };
  return current;
}

/**
 * Database time in the traces: every query made through `pg` (TypeORM's driver, the outbox
 * relay's LISTEN client) becomes a CLIENT span (`db.system.name`, `db.query.text` with its
 * parameters left out) next to the manual spans. Only under a parent span: the relay's polling
 * outside any request would otherwise start a trace of its own every few hundred milliseconds.
 *
 * The instrumentation patches `pg`'s Client and Pool prototypes when `pg` is next required
 * (TypeORM requires it when the DataSource is made, after startTracing in main), so it also
 * covers clients made from an earlier import. Returns a function that turns it off.
 */
export function traceDatabase(tracerProvider: TracerProvider): () => void {
  return registerInstrumentations({
    tracerProvider,
    instrumentations: [new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false })],
  });
}

/** Flushes and stops the tracing this process started, if any (Nest calls it on shutdown). */
export function shutdownTracing(): Promise<void> {
  return current.shutdown();
}

export function tracingEnabled(): boolean {
  return current.enabled;
}

export function tracer(): Tracer {
  return trace.getTracer('thankstar');
}

/** The active recording span's context as a `traceparent`, or undefined when there is none. */
export function activeTraceparent(ctx: Context = context.active()): string | undefined {
  const span = trace.getSpan(ctx);
  if (!span?.isRecording()) return undefined;
  return traceparentOf(span.spanContext());
}

export function traceparentOf(sc: SpanContext): string {
  return formatTraceparent({
    traceId: sc.traceId,
    spanId: sc.spanId,
    flags: (sc.traceFlags & 0xff).toString(16).padStart(2, '0'),
  });
}

/** A context whose parent is the remote span a `traceparent` names (the base context if it names none). */
export function contextFromTraceparent(traceparent: string | undefined, base: Context = context.active()): Context {
  const spanContext = spanContextOf(traceparent);
  return spanContext ? trace.setSpanContext(base, spanContext) : base;
}

export function spanContextOf(traceparent: string | undefined): SpanContext | undefined {
  const p = parseTraceparent(traceparent);
  if (!p) return undefined;
  return { traceId: p.traceId, spanId: p.spanId, traceFlags: Number.parseInt(p.flags, 16) & 1, isRemote: true };
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  links?: Link[];
  /** The parent; default the active context. */
  parent?: Context;
}

/**
 * Runs `fn` inside a new span (active for everything `fn` awaits), ending it when `fn` settles and
 * marking it an error if `fn` throws.
 */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T> | T): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
      ...(options.links ? { links: options.links } : {}),
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

export function failSpan(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

export { SpanKind };
