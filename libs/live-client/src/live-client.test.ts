import type { AddressInfo } from 'node:net';
import { liveCloseCodes } from '@thankstar/contracts/live-close-codes';
import fc from 'fast-check';
import { buildSchema } from 'graphql/index.js';
import { useServer } from 'graphql-ws/use/ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { essentialDocuments, type LivePopup } from './documents';
import { backoffMs, LiveClient, type LiveClose, type LiveStatus } from './live-client';

/**
 * A real graphql-ws server on loopback (the protocol the gateway speaks), whose sockets the test
 * closes with the gateway's close codes, and the real client library against it.
 */
const schema = buildSchema(`
  type Caller { raw: String display: String withheldReason: String }
  type Customer { id: ID! name: String! company: String }
  type Popup { popupId: ID! callId: ID! class: String! rangAt: String! lineLabel: String caller: Caller! customer: Customer }
  type CallUpdate { callId: ID! event: String! at: String! operatorId: ID extension: String lineLabel: String }
  type Query { ok: Boolean }
  type Subscription { popups: Popup! callUpdates: CallUpdate! }
`);

interface Connection {
  params: Record<string, unknown>;
  socket: WebSocket;
  push(value: unknown): void;
}

async function startServer() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const connections: Connection[] = [];
  const waiting = new Map<WebSocket, ((value: unknown) => void)[]>();
  const queues = new Map<WebSocket, unknown[]>();
  // Each socket's popups subscription reads its own queue.
  async function* feed(socket: WebSocket) {
    for (;;) {
      const queue = queues.get(socket) ?? [];
      if (queue.length > 0) {
        yield { popups: queue.shift() };
        continue;
      }
      await new Promise((resolve) => waiting.set(socket, [...(waiting.get(socket) ?? []), resolve]));
    }
  }
  const cleanup = useServer(
    {
      schema,
      onConnect: (ctx) => {
        const socket = ctx.extra.socket as unknown as WebSocket;
        queues.set(socket, []);
        connections.push({
          params: (ctx.connectionParams ?? {}) as Record<string, unknown>,
          socket,
          push: (value) => {
            queues.get(socket)?.push(value);
            for (const wake of waiting.get(socket) ?? []) wake(undefined);
            waiting.set(socket, []);
          },
        });
        return true;
      },
      roots: {
        subscription: {
          popups: (_args: unknown, ctx: { extra: { socket: WebSocket } }) => feed(ctx.extra.socket),
          callUpdates: async function* () {
            await new Promise(() => {});
          },
        },
      },
      context: (ctx) => ({ extra: ctx.extra }),
    },
    wss,
  );
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/graphql`;
  return {
    url,
    connections,
    async close() {
      await cleanup.dispose();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

const popup = (id: string, rangAt: string): LivePopup => ({
  popupId: id,
  callId: `call-${id}`,
  class: 'KNOWN',
  rangAt,
  lineLabel: '代表',
  caller: { raw: '0312345678', display: '03-1234-5678', withheldReason: null },
  customer: { id: `c-${id}`, name: '山田 太郎', company: null },
});

async function until<T>(probe: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let server: Awaited<ReturnType<typeof startServer>>;
let serverOpen = false;
let client: LiveClient<LivePopup> | null = null;
afterEach(async () => {
  client?.stop();
  client = null;
  if (serverOpen) await server.close();
  serverOpen = false;
});

function connect(
  pending: (since: string) => Promise<LivePopup[]>,
  extra: { token?: () => string; refresh?: () => Promise<boolean> } = {},
) {
  const received: { popup: LivePopup; live: boolean; resent: boolean }[] = [];
  const statuses: { status: LiveStatus; close: LiveClose | null }[] = [];
  const sinces: string[] = [];
  client = new LiveClient<LivePopup>({
    url: server.url,
    webSocketImpl: WebSocket,
    accessToken: extra.token ?? (() => 'token-1'),
    refreshSession: extra.refresh,
    connectionParams: () => ({ deviceKind: 'desktop', label: 'PC-01' }),
    pendingPopups: async (since) => {
      sinces.push(since);
      return pending(since);
    },
    documents: { popups: essentialDocuments.popups },
    onPopup: (p, arrival) => received.push({ popup: p, ...arrival }),
    onStatus: (status, close) => statuses.push({ status, close }),
    retryDelayMs: () => 50,
    secondCatchUpMs: 100,
  });
  client.start();
  return { received, statuses, sinces };
}

describe('live client against a real graphql-ws server', () => {
  it('sends the token and device, delivers live popups and catch-up ones once each', async () => {
    server = await startServer();
    serverOpen = true;
    const early = popup('p-early', '2026-12-01T00:59:00.000Z');
    const live = popup('p-live', '2026-12-01T01:00:00.000Z');
    const { received } = connect(async () => [early, live]);
    const conn = await until(() => server.connections[0], 'a connection');
    expect(conn.params).toMatchObject({ authorization: 'Bearer token-1', deviceKind: 'desktop', label: 'PC-01' });
    await until(() => received.length >= 2, 'catch-up');
    conn.push(popup('p-new', '2026-12-01T01:01:00.000Z'));
    await until(() => received.some((r) => r.popup.popupId === 'p-new'), 'live popup');
    // The second catch-up returns the same two: not reported again.
    await new Promise((r) => setTimeout(r, 300));
    expect(received.map((r) => [r.popup.popupId, r.live])).toEqual([
      ['p-early', false],
      ['p-live', false],
      ['p-new', true],
    ]);
    // A popup sent again live (a transfer) is reported again, marked resent.
    conn.push(popup('p-live', '2026-12-01T01:00:00.000Z'));
    await until(() => received.length === 4, 'the resent popup');
    expect(received[3]).toMatchObject({ live: true, resent: true });
  });

  it('reconnects after TOO_SLOW and catches up from before the loss', async () => {
    server = await startServer();
    serverOpen = true;
    let missed: LivePopup[] = [];
    const { received, statuses, sinces } = connect(async () => missed);
    const first = await until(() => server.connections[0], 'first connection');
    first.push(popup('p1', new Date().toISOString()));
    await until(() => received.length === 1, 'p1');
    // Both catch-ups of the first connection are done, so p2 can only come from the reconnection's.
    await until(() => sinces.length >= 2, 'the first connection catch-ups');
    missed = [popup('p2', new Date(Date.now() + 1).toISOString())];
    first.socket.close(liveCloseCodes.TOO_SLOW, 'TOO_SLOW: reconnect and catch up');
    await until(() => server.connections.length === 2, 'a second connection');
    await until(() => received.some((r) => r.popup.popupId === 'p2'), 'the popup rung while away');
    expect(statuses.map((s) => s.status)).toContain('reconnecting');
    expect(statuses.at(-1)?.status).toBe('live');
    // The catch-up after the loss reaches back before the newest popup seen (delayed calls).
    const p1At = received[0]?.popup.rangAt ?? '';
    expect((sinces.at(-1) ?? '9999') < p1At).toBe(true);
  });

  for (const [name, code] of [
    ['USER_DISABLED', liveCloseCodes.USER_DISABLED],
    ['LEASE_ENDED', liveCloseCodes.LEASE_ENDED],
    ['SEAT_REVOKED', liveCloseCodes.SEAT_REVOKED],
    ['SEAT_REQUIRED', liveCloseCodes.SEAT_REQUIRED],
  ] as const) {
    it(`stops for good on ${name} (${code}): no reconnection`, async () => {
      server = await startServer();
      serverOpen = true;
      const { statuses } = connect(async () => []);
      const conn = await until(() => server.connections[0], 'a connection');
      await until(() => statuses.at(-1)?.status === 'live', 'live');
      conn.socket.close(code, `${name}: final`);
      await until(() => statuses.at(-1)?.status === 'ended', 'ended');
      expect(statuses.at(-1)?.close).toEqual({ code, reason: `${name}: final` });
      // Retries are 50 ms apart here: ten retry periods without a new connection.
      await new Promise((r) => setTimeout(r, 500));
      expect(server.connections).toHaveLength(1);
    });
  }

  it('refreshes the token on TOKEN_EXPIRED and reconnects with the new one', async () => {
    server = await startServer();
    serverOpen = true;
    let token = 'old';
    const { statuses } = connect(async () => [], {
      token: () => token,
      refresh: async () => {
        token = 'new';
        return true;
      },
    });
    const first = await until(() => server.connections[0], 'a connection');
    first.socket.close(liveCloseCodes.TOKEN_EXPIRED, 'TOKEN_EXPIRED: refresh it and reconnect');
    const second = await until(() => server.connections[1], 'a reconnection');
    expect(second.params.authorization).toBe('Bearer new');
    await until(() => statuses.at(-1)?.status === 'live', 'live again');
  });

  it('is expired when the token cannot be refreshed, and refused on the connection limit until started again', async () => {
    server = await startServer();
    serverOpen = true;
    const { statuses } = connect(async () => [], { refresh: async () => false });
    const first = await until(() => server.connections[0], 'a connection');
    first.socket.close(liveCloseCodes.TOKEN_EXPIRED, 'TOKEN_EXPIRED');
    await until(() => statuses.at(-1)?.status === 'expired', 'expired');
    client?.start();
    const second = await until(() => server.connections[1], 'started again');
    second.socket.close(liveCloseCodes.CONNECTION_LIMIT_REACHED, '{"code":"CONNECTION_LIMIT_REACHED","holders":[]}');
    await until(() => statuses.at(-1)?.status === 'refused', 'refused');
    await new Promise((r) => setTimeout(r, 300));
    expect(server.connections).toHaveLength(2);
    client?.start();
    await until(() => server.connections[2], 'the user retried');
  });
});

describe('backoffMs', () => {
  it('doubles from 1 s up to 30 s, with jitter down to half', () => {
    expect(backoffMs(0, () => 1)).toBe(1000);
    expect(backoffMs(3, () => 1)).toBe(8000);
    expect(backoffMs(10, () => 1)).toBe(30_000);
    expect(backoffMs(10, () => 0)).toBe(15_000);
  });

  it('never waits less than 0.5 s or more than 30 s', () => {
    fc.assert(
      fc.property(fc.nat(100), fc.double({ min: 0, max: 1, noNaN: true }), (retries, r) => {
        const ms = backoffMs(retries, () => r);
        expect(ms).toBeGreaterThanOrEqual(500);
        expect(ms).toBeLessThanOrEqual(30_000);
      }),
    );
  });
});
