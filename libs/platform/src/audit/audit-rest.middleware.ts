import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/principal';
import { currentLogContext } from '../observability/log-context';
import { auditActorOf } from './audit.plugin';
import { isAuditedRest, restAuditEntry } from './audit-entry';
import type { AuditWriter } from './audit-writer';

interface AuditedRequest extends IncomingMessage {
  originalUrl?: string;
  baseUrl?: string;
  route?: { path?: unknown };
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  principal?: Principal;
}

const statusCodes: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/**
 * Records data-changing REST calls (isAuditedRest: not a read, not a webhook or lease) when the
 * response has been sent. A read or an excluded path costs one test and goes straight on.
 */
export function auditRestMiddleware(
  writer: () => AuditWriter | undefined,
): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (req: AuditedRequest, res, next) => {
    const url = req.originalUrl ?? req.url ?? '';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const sink = writer();
    if (!sink?.enabled || !isAuditedRest(req.method, path)) {
      next();
      return;
    }
    const traceId = currentLogContext().traceId;
    // The router fills route and params while it handles the request; read them when it is done.
    let params: Record<string, unknown> | undefined;
    const captureParams = () => {
      if (req.params && Object.keys(req.params).length > 0) params = { ...req.params };
    };
    res.once('finish', () => {
      try {
        captureParams();
        const route = typeof req.route?.path === 'string' ? `${req.baseUrl ?? ''}${req.route.path}` : path;
        const entry = restAuditEntry({
          method: req.method ?? 'POST',
          route,
          params,
          query: req.query,
          status: res.statusCode,
          errorCode: statusCodes[res.statusCode],
          actor: auditActorOf(req.principal),
          at: new Date(),
          traceId,
        });
        if (entry) sink.add([entry]);
      } catch (error) {
        sink.lost(1, 'build_failed', error);
      }
    });
    next();
  };
}
