import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { context as otel, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Observable, type Subscription } from 'rxjs';
import type { Principal } from '../auth/principal';
import { withLogContext } from './log-context';
import { childTraceparent, parseTraceparent } from './traceparent';
import { activeTraceparent, contextFromTraceparent, traceparentOf, tracer, tracingEnabled } from './tracing';

interface RequestLike {
  headers?: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/**
 * Runs each HTTP or GraphQL operation inside a log context with the verified tenant and the
 * request's trace (continued from an incoming `traceparent` header, or a new one), so every
 * log line and every event it enqueues carries them.
 */
@Injectable()
export class LogContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = requestOf(context);
    if (!req) return next.handle();
    const header = typeof req.headers?.traceparent === 'string' ? req.headers.traceparent : undefined;
    // With tracing on, an HTTP request gets a SERVER span and the logs name it; else a child id as before.
    const span = context.getType() === 'http' ? startServerSpan(context, header) : undefined;
    const traceparent = span ? traceparentOf(span.spanContext()) : (activeTraceparent() ?? childTraceparent(header));
    const fields = { tenantId: req.principal?.tenantId, traceparent, traceId: parseTraceparent(traceparent)?.traceId };
    const run = (fn: () => Subscription): Subscription =>
      span ? otel.with(trace.setSpan(otel.active(), span), fn) : fn();
    return new Observable((subscriber) => {
      const inner = run(() => withLogContext(fields, () => next.handle().subscribe(subscriber)));
      return () => inner.unsubscribe();
    });
  }
}

interface HttpPair {
  req: { method?: string; path?: string; baseUrl?: string; route?: { path?: unknown } };
  res: { statusCode: number; once(event: 'finish' | 'close', fn: () => void): unknown };
}

/** A SERVER span for the request, ended when the response is sent; none when tracing is off or for probes. */
function startServerSpan(context: ExecutionContext, header: string | undefined): Span | undefined {
  if (!tracingEnabled()) return undefined;
  const http = context.switchToHttp();
  const { req, res } = { req: http.getRequest<HttpPair['req']>(), res: http.getResponse<HttpPair['res']>() };
  const path = req.path ?? '';
  if (path.startsWith('/health') || path === '/metrics') return undefined;
  const route = typeof req.route?.path === 'string' ? `${req.baseUrl ?? ''}${req.route.path}` : path;
  const method = req.method ?? 'GET';
  const span = tracer().startSpan(
    `${method} ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': method, 'http.route': route, 'url.path': path },
    },
    // The caller's trace when it sent a traceparent, else a new one.
    contextFromTraceparent(header, trace.deleteSpan(otel.active())),
  );
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  return span;
}

function requestOf(context: ExecutionContext): RequestLike | undefined {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req?: RequestLike }>().req;
  }
  if (context.getType() === 'http') return context.switchToHttp().getRequest<RequestLike>();
  return undefined;
}
