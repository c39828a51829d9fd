import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one process. One registry per process: every service exposes it on
 * GET /metrics (PlatformModule's MetricsController). Labels stay low-cardinality: route
 * patterns, never raw URLs or tenant ids.
 */
export const metricsRegistry = new Registry();
let defaultsCollected = false;

/** Names the process in every series (`service="telephony"`) and adds Node's own metrics once. */
export function initMetrics(service: string): void {
  metricsRegistry.setDefaultLabels({ service });
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: 'thankstar_' });
}

const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestDuration = new Histogram({
  name: 'thankstar_http_request_duration_seconds',
  help: 'HTTP request latency, from the first byte in to the last byte out.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: latencyBuckets,
  registers: [metricsRegistry],
});

export const consumerHandleDuration = new Histogram({
  name: 'thankstar_consumer_handle_duration_seconds',
  help: 'Time to validate and handle one consumed message (including its database transaction).',
  labelNames: ['topic', 'group', 'outcome'] as const,
  buckets: latencyBuckets,
  registers: [metricsRegistry],
});

export const consumerLag = new Gauge({
  name: 'thankstar_consumer_lag_messages',
  help: 'Messages behind the partition high watermark after the last processed batch.',
  labelNames: ['topic', 'group', 'partition'] as const,
  registers: [metricsRegistry],
});

export const deadLetters = new Counter({
  name: 'thankstar_dead_letters_total',
  help: 'Messages sent to a dead-letter topic, by source topic and reason code.',
  labelNames: ['topic', 'group', 'reason'] as const,
  registers: [metricsRegistry],
});

const backlogSources = new Map<string, () => Promise<number>>();
new Gauge({
  name: 'thankstar_outbox_backlog',
  help: 'Outbox rows written but not yet acknowledged by the broker.',
  labelNames: ['outbox'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    await Promise.all(
      [...backlogSources].map(async ([name, read]) => {
        // A database that does not answer leaves the series out rather than failing the scrape.
        const n = await read().catch(() => undefined);
        if (n !== undefined) this.set({ outbox: name }, n);
      }),
    );
  },
});

/** Registers how to read a service's outbox backlog at scrape time. */
export function registerOutboxBacklog(name: string, read: () => Promise<number>): () => void {
  backlogSources.set(name, read);
  return () => {
    if (backlogSources.get(name) === read) backlogSources.delete(name);
  };
}

const parkedSources = new Map<string, () => Promise<number>>();
new Gauge({
  name: 'thankstar_outbox_parked',
  help: 'Outbox rows set aside because the broker refused them for good, or held behind such a row of the same key.',
  labelNames: ['outbox'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    await Promise.all(
      [...parkedSources].map(async ([name, read]) => {
        const n = await read().catch(() => undefined);
        if (n !== undefined) this.set({ outbox: name }, n);
      }),
    );
  },
});

/** Registers how to read a service's parked outbox rows at scrape time. */
export function registerOutboxParked(name: string, read: () => Promise<number>): () => void {
  parkedSources.set(name, read);
  return () => {
    if (parkedSources.get(name) === read) parkedSources.delete(name);
  };
}

export const outboxRowsParked = new Counter({
  name: 'thankstar_outbox_parked_total',
  help: 'Outbox rows parked, by reason code (MESSAGE_TOO_LARGE, HELD_BEHIND_PARKED, …).',
  labelNames: ['topic', 'reason'] as const,
  registers: [metricsRegistry],
});

export const consumerRestarts = new Counter({
  name: 'thankstar_consumer_restarts_total',
  help: 'Consumers started again after a crash or a failed start (broker restarts, coordinator moves).',
  labelNames: ['group'] as const,
  registers: [metricsRegistry],
});

export const consumerTransientRetries = new Counter({
  name: 'thankstar_consumer_transient_retries_total',
  help: 'Handler attempts that failed transiently (database or broker unavailable) and were retried.',
  labelNames: ['topic', 'group'] as const,
  registers: [metricsRegistry],
});

/** The reason code of a dead-letter reason (`INVALID_EVENT: …` → `INVALID_EVENT`). */
export function deadLetterReasonCode(reason: string): string {
  const code = /^([A-Z][A-Z_]*):/.exec(reason)?.[1];
  return code ?? 'OTHER';
}

export function recordDeadLetter(topic: string, group: string, reason: string): void {
  deadLetters.inc({ topic, group, reason: deadLetterReasonCode(reason) });
}

export function recordConsumerLag(group: string, topic: string, partition: number, lag: number): void {
  if (Number.isFinite(lag)) consumerLag.set({ topic, group, partition: String(partition) }, Math.max(0, lag));
}

/** Starts a consumer-latency timer; call the result with the outcome when the message is done. */
export function startConsumerTimer(topic: string, group: string): (outcome: 'handled' | 'dead_letter') => void {
  const end = consumerHandleDuration.startTimer({ topic, group });
  return (outcome) => {
    end({ outcome });
  };
}

interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

/**
 * Express/connect middleware timing every request. The route label is the matched route
 * pattern (`/v1/calls/events`), `/graphql`, or `unmatched`, so a scan of random URLs cannot
 * blow up the number of series.
 */
export function httpMetricsMiddleware(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  // One labelled child per (method, route, status), looked up once: observing then skips
  // prom-client's per-call label validation and hashing.
  const children = new Map<string, { observe(seconds: number): void }>();
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      const routed = req as RoutedRequest;
      let route: string;
      if (typeof routed.route?.path === 'string') route = `${routed.baseUrl ?? ''}${routed.route.path}`;
      else {
        const url = req.url ?? '';
        const q = url.indexOf('?');
        const path = q === -1 ? url : url.slice(0, q);
        route = path === '/graphql' || path === '/metrics' ? path : 'unmatched';
      }
      const method = req.method ?? 'GET';
      const status = res.statusCode;
      const key = `${method} ${status} ${route}`;
      let child = children.get(key);
      if (!child) {
        child = httpRequestDuration.labels({ method, route, status: String(status) });
        children.set(key, child);
      }
      child.observe((performance.now() - started) / 1000);
    });
    next();
  };
}
