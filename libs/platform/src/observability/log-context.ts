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
  const store: LogContext = { ...storage.getStore() };
  for (const key of Object.keys(fields) as (keyof LogContext)[]) {
    const value = fields[key];
    if (value !== undefined) store[key] = value;
  }
  return storage.run(store, fn);
}

/**
 * Runs `fn` in a context of its own whose fields may still be added to (`addToLogContext`), e.g.
 * the tenant once the guard has verified the token. One object per request, never shared.
 */
export function runInLogContext<T>(store: LogContext, fn: () => T): T {
  return storage.run(store, fn);
}

/** Adds fields to the current context (no-op outside one); what is already running sees them too. */
export function addToLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (!store) return;
  for (const key of Object.keys(fields) as (keyof LogContext)[]) {
    const value = fields[key];
    if (value !== undefined) store[key] = value;
  }
}

export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}
