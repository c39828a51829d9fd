import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { context as otel, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { type LogContext, runInLogContext } from './log-context';
import { childTraceparent, parseTraceparent } from './traceparent';
import { contextFromTraceparent, traceparentOf, tracer, tracingEnabled } from './tracing';

interface RoutedRequest extends IncomingMessage {
  originalUrl?: string;
  baseUrl?: string;
  route?: { path?: unknown };
}

/**
 * Runs each HTTP request (REST routes and /graphql alike) inside a log context with the
 * request's trace, continued from an incoming `traceparent` header or a new one, so every log
 * line and every event it enqueues carries them; the AuthGuard adds the verified tenant to the
 * same context. With tracing on, the request also gets a SERVER span (none for probes).
 *
 * A plain middleware rather than a Nest interceptor: any global interceptor makes Nest wrap every
 * route in RxJS and two `AsyncResource.bind`s per request, which cost more CPU than the handler
 * of a small route. PlatformModule applies it after the body parsers, so the context is already
 * set when the handler, the guard and the error filter run.
 */
export function requestContext(req: RoutedRequest, res: ServerResponse, next: () => void): void {
  const raw = req.headers.traceparent;
  const header = typeof raw === 'string' ? raw : undefined;
  const span = tracingEnabled() ? startServerSpan(req, res, header) : undefined;
  const traceparent = span ? traceparentOf(span.spanContext()) : childTraceparent(header);
  const store: LogContext = { traceparent, traceId: parseTraceparent(traceparent)?.traceId };
  if (!span) {
    runInLogContext(store, next);
    return;
  }
  otel.with(trace.setSpan(otel.active(), span), () => runInLogContext(store, next));
}

/** The same, as a Nest middleware class for `MiddlewareConsumer.apply`. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    requestContext(req, res, next);
  }
}

/** A SERVER span for the request, named by its route pattern when the response is sent. */
function startServerSpan(req: RoutedRequest, res: ServerResponse, header: string | undefined): Span | undefined {
  // The full path: mounted as a Nest middleware, Express's `req.path` is relative to the mount point.
  const url = req.originalUrl ?? req.url ?? '';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path.startsWith('/health') || path === '/metrics') return undefined;
  const method = req.method ?? 'GET';
  const span = tracer().startSpan(
    `${method} ${path}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path } },
    // The caller's trace when it sent a traceparent, else a new one.
    contextFromTraceparent(header, trace.deleteSpan(otel.active())),
  );
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    // The route is known once the router matched it: `/v1/calls/events`, not the raw URL.
    const route = typeof req.route?.path === 'string' ? `${req.baseUrl ?? ''}${req.route.path}` : path;
    span.updateName(`${method} ${route}`);
    span.setAttribute('http.route', route);
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  return span;
}
