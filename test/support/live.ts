import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** A real graphql-ws operator client that records every popup it receives. */
export interface PopupWatcher {
  popups: Array<Record<string, unknown>>;
  /** Resolves with the first popup of this call, or rejects after `ms`. */
  waitFor(callId: string, ms?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function watchPopups(wsUrl: string, token: string, selection: string): Promise<PopupWatcher> {
  const popups: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  const client: Client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}`, deviceKind: 'web', label: 'e2e test' },
  });
  const connected = new Promise<void>((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('closed', (event) => reject(new Error(`socket closed: ${(event as { reason?: string }).reason}`)));
  });
  client.subscribe<{ popups: Record<string, unknown> }>(
    { query: `subscription { popups { ${selection} } }` },
    {
      next: ({ data }) => {
        if (data?.popups) popups.push(data.popups);
        for (const w of waiters) w();
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  await connected;
  // The subscribe message follows connection_ack; give the server a moment to register it.
  await new Promise((r) => setTimeout(r, 300));
  return {
    popups,
    waitFor: (callId, ms = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const hit = popups.find((p) => p.callId === callId);
          if (!hit) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no popup for call ${callId} within ${ms} ms`));
        }, ms);
        if (!check()) waiters.add(check);
      }),
    close: () => client.dispose() as Promise<void>,
  };
}

/** Tries to open a subscription and reports how the server answered. */
export function tryConnect(
  wsUrl: string,
  connectionParams: Record<string, unknown>,
): Promise<{ code: number; reason: string } | 'connected'> {
  return new Promise((resolve) => {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams,
      onNonLazyError: () => undefined,
    });
    client.on('connected', () => {
      resolve('connected');
      void client.dispose();
    });
    client.on('closed', (event) => {
      const e = event as { code: number; reason: string };
      resolve({ code: e.code, reason: e.reason });
    });
  });
}
