import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { addToLogContext, currentLogContext, type LogContext } from './log-context';
import { requestContext } from './request-context.middleware';
import { parseTraceparent } from './traceparent';

function request(headers: Record<string, string> = {}): IncomingMessage {
  return { headers, method: 'GET', url: '/v1/x' } as unknown as IncomingMessage;
}
const response = () => new EventEmitter() as unknown as ServerResponse;

describe('requestContext middleware', () => {
  it('continues the caller trace with a new span id, and what runs later sees the tenant added by the guard', async () => {
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const seen = await new Promise<LogContext>((resolve) => {
      requestContext(request({ traceparent: incoming }), response(), () => {
        addToLogContext({ tenantId: 't-1' });
        void Promise.resolve().then(() => resolve({ ...currentLogContext() }));
      });
    });
    expect(seen.tenantId).toBe('t-1');
    expect(seen.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(parseTraceparent(seen.traceparent)?.spanId).not.toBe('00f067aa0ba902b7');
    expect(currentLogContext().tenantId).toBeUndefined();
  });

  it('starts a new trace per request without a valid traceparent, and requests never share a context', () => {
    const contexts: LogContext[] = [];
    for (const headers of [{}, { traceparent: 'garbage' }, {}]) {
      requestContext(request(headers), response(), () => {
        contexts.push(currentLogContext());
      });
    }
    const ids = contexts.map((c) => c.traceId);
    expect(ids.every((id) => /^[0-9a-f]{32}$/.test(id ?? ''))).toBe(true);
    expect(new Set(ids).size).toBe(3);
    expect(new Set(contexts).size).toBe(3);
  });
});
