export interface EventStreamOptions {
  /** Events waiting for the socket beyond this many mean the client is not reading. */
  maxPending: number;
  onOverflow(): void;
  onEnd(): void;
}

export interface EventStream<T> {
  push(event: T): void;
  end(): void;
  readonly iterator: AsyncIterableIterator<T>;
}

/**
 * An async iterator fed by pushes, with a bounded backlog: graphql-ws pulls the next event only
 * after the previous one was written to the socket, so a backlog means a client that stopped
 * reading. Past the bound the stream ends and `onOverflow` cuts the client off.
 */
export function eventStream<T>(options: EventStreamOptions): EventStream<T> {
  const pending: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let ended = false;

  const end = () => {
    if (ended) return;
    ended = true;
    pending.length = 0;
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
    options.onEnd();
  };

  const iterator: AsyncIterableIterator<T> = {
    next: () => {
      const value = pending.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
      if (ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return: () => {
      end();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };

  return {
    iterator,
    end,
    push(event) {
      if (ended) return;
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: event, done: false });
        return;
      }
      if (pending.length >= options.maxPending) {
        end();
        options.onOverflow();
        return;
      }
      pending.push(event);
    },
  };
}
