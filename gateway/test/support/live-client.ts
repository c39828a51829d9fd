import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Closed {
  code: number;
  reason: string;
}

/** A real graphql-ws client that records what it receives and how its socket ended. */
export class LiveClient<T = Record<string, unknown>> {
  readonly received: T[] = [];
  readonly errors: unknown[] = [];
  readonly closed: Promise<Closed>;
  /** Resolves when the server acknowledged connection_init. */
  readonly connected: Promise<void>;
  private readonly client: Client;
  private waiters: (() => void)[] = [];
  private closedWith: Closed | undefined;

  constructor(url: string, connectionParams: Record<string, unknown>) {
    let resolveConnected: () => void = () => {};
    this.connected = new Promise((resolve) => {
      resolveConnected = resolve;
    });
    let resolveClosed: (c: Closed) => void = () => {};
    this.closed = new Promise((resolve) => {
      resolveClosed = resolve;
    });
    this.client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams,
      lazy: false,
      retryAttempts: 0,
      shouldRetry: () => false,
      onNonLazyError: () => {},
      on: {
        connected: () => resolveConnected(),
        closed: (event) => {
          const e = event as { code: number; reason: string };
          this.closedWith = { code: e.code, reason: String(e.reason) };
          resolveClosed(this.closedWith);
          for (const wake of this.waiters.splice(0)) wake();
        },
      },
    });
  }

  subscribe(query: string, field: string): void {
    this.client.subscribe<Record<string, T>>(
      { query },
      {
        next: (result) => {
          const value = result.data?.[field];
          if (value) this.received.push(value);
          else this.errors.push(result.errors);
          for (const wake of this.waiters.splice(0)) wake();
        },
        error: (err) => {
          this.errors.push(err);
          for (const wake of this.waiters.splice(0)) wake();
        },
        complete: () => {},
      },
    );
  }

  /** Resolves when an event matching `predicate` has arrived (or is already there). */
  async until(predicate: (event: T) => boolean): Promise<T> {
    for (;;) {
      const found = this.received.find(predicate);
      if (found) return found;
      if (this.closedWith)
        throw new Error(`socket closed (${this.closedWith.code} ${this.closedWith.reason}) while waiting`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Resolves with the first error the server sent for a subscription. */
  async firstError(): Promise<unknown> {
    while (this.errors.length === 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.errors[0];
  }

  /** Like `until`, but gives up after `ms` (for retrying a publish, never for an assertion). */
  async within(ms: number, predicate: (event: T) => boolean): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    });
    const result = await Promise.race([this.until(predicate), timeout]);
    clearTimeout(timer);
    return result;
  }

  async dispose(): Promise<void> {
    await this.client.dispose();
  }
}
