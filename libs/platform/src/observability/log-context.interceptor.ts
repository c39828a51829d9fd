import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Observable } from 'rxjs';
import type { Principal } from '../auth/principal';
import { withLogContext } from './log-context';
import { childTraceparent, parseTraceparent } from './traceparent';

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
    const header = req.headers?.traceparent;
    const traceparent = childTraceparent(typeof header === 'string' ? header : undefined);
    const fields = { tenantId: req.principal?.tenantId, traceparent, traceId: parseTraceparent(traceparent)?.traceId };
    return new Observable((subscriber) => {
      const inner = withLogContext(fields, () => next.handle().subscribe(subscriber));
      return () => inner.unsubscribe();
    });
  }
}

function requestOf(context: ExecutionContext): RequestLike | undefined {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req?: RequestLike }>().req;
  }
  if (context.getType() === 'http') return context.switchToHttp().getRequest<RequestLike>();
  return undefined;
}
