import { finalLiveCloseCodes, liveCloseCodes } from '@thankstar/contracts/live-close-codes';
import { type Client, createClient } from 'graphql-ws';

/**
 * The live client of Thankstar: one graphql-ws socket to the gateway carrying the popups, the
 * call status updates and the interaction updates of the signed-in user's tenant. It
 * - reconnects by itself with exponential backoff and jitter (1 s doubling to 30 s);
 * - after every (re)connection catches up through `pendingPopups`, twice (see below), so a popup
 *   rung while the socket was down is not lost; popups are reported once per id (a popup sent again,
 *   on a transfer, is reported again as `resent`);
 * - acts on the gateway's close codes (libs/contracts/src/live-close-codes.ts, the one list the
 *   gateway closes with): refreshes the token and reconnects on TOKEN_EXPIRED, stops on
 *   UNAUTHENTICATED ('expired'), on CONNECTION_LIMIT_REACHED ('refused', until `start()` again) and
 *   for good on the final codes ('ended': an admin ended the connection, the user was disabled, the
 *   PC's seat is missing or was revoked) — those are never retried.
 * It has no dependency on a UI framework: the operator console and the desktop client use it, and
 * so can a tenant's own software (docs/integrations.md).
 */

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'refused' | 'expired' | 'ended';

export interface LiveClose {
  code: number;
  reason: string;
}

/** What every popup has, whatever selection a client asks for. */
export interface PopupIdentity {
  popupId: string;
  rangAt: string;
}

export interface LiveDocuments {
  /** `subscription { popups { ... } }`: must select `popupId` and `rangAt`. */
  popups: string;
  /** `subscription { callUpdates { ... } }` (optional). */
  callUpdates?: string;
  /** `subscription { interactionUpdates { ... } }` (optional). */
  interactionUpdates?: string;
}

export interface LiveClientOptions<P extends PopupIdentity, C = unknown, I = unknown> {
  /** The gateway's socket URL, e.g. wss://example.com/graphql. */
  url: string;
  /** The current access token (the caller refreshes it when it is close to expiry). */
  accessToken(): Promise<string | null> | string | null;
  /** Gets a new access token after TOKEN_EXPIRED; false when the session is over (→ 'expired'). */
  refreshSession?(): Promise<boolean>;
  /** Sent with the token in connection_init: `deviceKind`, `label`, a desktop's `deviceCredential`. */
  connectionParams?(): Promise<Record<string, unknown>> | Record<string, unknown>;
  /** The `pendingPopups(since)` query: popups rung since that moment, for catch-up. */
  pendingPopups(since: string): Promise<P[]>;
  documents: LiveDocuments;
  /** Receives every popup once per id, newest state; `live` is false for catch-up. */
  onPopup(popup: P, arrival: { live: boolean; resent: boolean }): void;
  onCallUpdate?(update: C): void;
  onInteractionUpdate?(update: I): void;
  /** Status changes; `close` is the socket's close when that caused the change. */
  onStatus?(status: LiveStatus, close: LiveClose | null): void;
  /** How far back a fresh client catches up (default 15 minutes). */
  initialLookbackMs?: number;
  /** For Node or tests: a WebSocket implementation (browsers have one). */
  webSocketImpl?: unknown;
  /** For tests: the wait before the n-th retry. */
  retryDelayMs?(retries: number): number;
  /** For tests: the delay of the second catch-up after a connection (default 3 s). */
  secondCatchUpMs?: number;
  keepAliveMs?: number;
}

/** Exponential backoff with jitter, 1 s doubling to 30 s. */
export const backoffMs = (retries: number, random: () => number = Math.random): number =>
  Math.round(Math.min(30_000, 1_000 * 2 ** retries) * (0.5 + random() / 2));

/** How far before the socket was lost a catch-up reaches back (calls delayed in the pipeline). */
const CATCH_UP_MARGIN_MS = 2 * 60_000;
/** Popup ids remembered for deduplication (a console shows far fewer). */
const SEEN_LIMIT = 1_000;

const isClose = (value: unknown): value is LiveClose =>
  typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;

/** True when reconnecting after this close cannot help (the gateway or an admin decided). */
export const isFinalClose = (code: number): boolean => finalLiveCloseCodes.includes(code);

/** Closes the client does not retry by itself (final, refused, unauthenticated, expired token). */
const notRetried = (code: number): boolean =>
  isFinalClose(code) ||
  code === liveCloseCodes.UNAUTHENTICATED ||
  code === liveCloseCodes.CONNECTION_LIMIT_REACHED ||
  code === liveCloseCodes.TOKEN_EXPIRED ||
  code === liveCloseCodes.BAD_CONNECTION_PARAMS;

export class LiveClient<P extends PopupIdentity, C = unknown, I = unknown> {
  private client: Client | null = null;
  private unsubscribe: (() => void)[] = [];
  private status: LiveStatus = 'connecting';
  private since: string;
  private lostAt: number | null = null;
  /** popupId → rangAt of the version reported, insertion-ordered for trimming. */
  private readonly seen = new Map<string, string>();
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private generation = 0;

  constructor(private readonly options: LiveClientOptions<P, C, I>) {
    this.since = new Date(Date.now() - (options.initialLookbackMs ?? 15 * 60_000)).toISOString();
  }

  get currentStatus(): LiveStatus {
    return this.status;
  }

  /** Connects (again): also the user's "retry" after a refusal. */
  start(): void {
    this.stop();
    const generation = ++this.generation;
    this.setStatus('connecting', null);
    const o = this.options;
    const client = createClient({
      url: o.url,
      lazy: false,
      keepAlive: o.keepAliveMs ?? 15_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      ...(o.webSocketImpl ? { webSocketImpl: o.webSocketImpl } : {}),
      connectionParams: async () => ({
        ...((await o.connectionParams?.()) ?? {}),
        authorization: `Bearer ${(await o.accessToken()) ?? ''}`,
      }),
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, (o.retryDelayMs ?? backoffMs)(retries))),
      shouldRetry: (event) => !isClose(event) || !notRetried(event.code),
      on: {
        connected: () => {
          if (generation !== this.generation) return;
          this.setStatus('live', null);
          // Twice from the same point: popups written between the first read and the moment the
          // server has registered this socket's subscription reach neither; the second pass
          // catches them (the drill lost some that way when a backlog flushed after an outage).
          const since = this.catchUpSince();
          void this.catchUp(since, generation);
          this.later(() => void this.catchUp(since, generation), o.secondCatchUpMs ?? 3_000);
        },
        closed: (event) => {
          if (generation !== this.generation) return;
          if (this.status === 'live') this.lostAt = Date.now();
          const close = isClose(event) ? { code: event.code, reason: event.reason } : null;
          if (close && isFinalClose(close.code)) this.end('ended', close);
          else if (close?.code === liveCloseCodes.CONNECTION_LIMIT_REACHED) this.end('refused', close);
          else if (close?.code === liveCloseCodes.TOKEN_EXPIRED) void this.restartWithFreshToken(close);
          else if (close?.code === liveCloseCodes.UNAUTHENTICATED) this.end('expired', close);
          else if (close?.code === liveCloseCodes.BAD_CONNECTION_PARAMS) this.end('ended', close);
          else this.setStatus('reconnecting', close);
        },
      },
    });
    this.client = client;
    const sink = <T>(next: (data: T) => void) => ({
      next: ({ data }: { data?: T | null }) => {
        if (data && generation === this.generation) next(data);
      },
      // Terminal errors come with a close, handled above.
      error: () => {},
      complete: () => {},
    });
    this.unsubscribe = [
      client.subscribe<{ popups: P }>(
        { query: o.documents.popups },
        sink((d) => this.deliver([d.popups], true)),
      ),
    ];
    if (o.documents.callUpdates && o.onCallUpdate) {
      const on = o.onCallUpdate;
      this.unsubscribe.push(
        client.subscribe<{ callUpdates: C }>(
          { query: o.documents.callUpdates },
          sink((d) => on(d.callUpdates)),
        ),
      );
    }
    if (o.documents.interactionUpdates && o.onInteractionUpdate) {
      const on = o.onInteractionUpdate;
      this.unsubscribe.push(
        client.subscribe<{ interactionUpdates: I }>(
          { query: o.documents.interactionUpdates },
          sink((d) => on(d.interactionUpdates)),
        ),
      );
    }
  }

  /** Disconnects; `start()` connects again and catches up from where this one was. */
  stop(): void {
    this.generation++;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const stop of this.unsubscribe) stop();
    this.unsubscribe = [];
    const client = this.client;
    this.client = null;
    void client?.dispose();
  }

  private end(status: 'ended' | 'refused' | 'expired', close: LiveClose) {
    // graphql-ws stops retrying on its own for these (shouldRetry); dispose so nothing lingers.
    this.stop();
    this.setStatus(status, close);
  }

  private async restartWithFreshToken(close: LiveClose) {
    this.stop();
    const refreshed = (await this.options.refreshSession?.()) ?? false;
    if (refreshed) this.start();
    else this.setStatus('expired', close);
  }

  /**
   * Where a catch-up starts: the newest popup seen, but no later than shortly before the socket
   * was lost: a call that rang before the newest popup may reach the pipeline's end after it.
   */
  private catchUpSince(): string {
    if (this.lostAt === null) return this.since;
    const beforeLoss = new Date(this.lostAt - CATCH_UP_MARGIN_MS).toISOString();
    // ISO strings of one format compare as their instants (Math.min does not take strings).
    // biome-ignore lint/complexity/useMathMinMax: strings
    return beforeLoss < this.since ? beforeLoss : this.since;
  }

  private async catchUp(since: string, generation: number) {
    try {
      const popups = await this.options.pendingPopups(since);
      if (generation === this.generation) this.deliver(popups, false);
    } catch {
      // The live stream still works; the next (re)connection catches up again from the same point.
    }
  }

  private deliver(popups: P[], live: boolean) {
    const ordered = [...popups].sort((a, b) => a.rangAt.localeCompare(b.rangAt));
    for (const popup of ordered) {
      const known = this.seen.get(popup.popupId);
      if (popup.rangAt > this.since) this.since = popup.rangAt;
      // Catch-up returns what was already delivered live: report each popup once; a popup sent
      // again live (a transfer re-sends it) is reported again.
      if (known !== undefined && !live) continue;
      this.seen.delete(popup.popupId);
      this.seen.set(popup.popupId, popup.rangAt);
      if (this.seen.size > SEEN_LIMIT) {
        const oldest = this.seen.keys().next().value;
        if (oldest !== undefined) this.seen.delete(oldest);
      }
      this.options.onPopup(popup, { live, resent: known !== undefined });
    }
  }

  private setStatus(status: LiveStatus, close: LiveClose | null) {
    if (status === this.status && close === null) return;
    this.status = status;
    this.options.onStatus?.(status, close);
  }

  private later(run: () => void, ms: number) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }
}

/** A live client: `createLiveClient(options).start()`. */
export function createLiveClient<P extends PopupIdentity, C = unknown, I = unknown>(
  options: LiveClientOptions<P, C, I>,
): LiveClient<P, C, I> {
  return new LiveClient(options);
}
