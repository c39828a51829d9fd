import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while handling one request or event carries. */
export interface LogContext {
  tenantId?: string;
  callId?: string;
  eventId?: string;
  topic?: string;
  /** W3C trace id (32 hex), the same across telephony → customers → gateway for one call. */
  traceId?: string;
  traceparent?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with these fields added to every log line it (and what it awaits) writes. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...dropUndefined(fields) }, fn);
}

export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

function dropUndefined(fields: LogContext): LogContext {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as LogContext;
}
