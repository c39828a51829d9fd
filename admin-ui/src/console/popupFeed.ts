import { liveCloseCodes } from '@thankstar/contracts/live-close-codes';
import { type Client, createClient } from 'graphql-ws';
import { freshAccessToken, refreshSession } from '../auth/refresh';
import { gatewayWsUrl } from '../config';
import { request } from '../graphql/client';
import type { CallUpdatesSubscription, InteractionUpdatesSubscription, PopupFieldsFragment } from '../graphql/types';
import { type ConnectionRefusal, parseRefusal } from './connectionRefusal';
import { describeDevice } from './device';
import {
  callUpdatesSubscription,
  interactionUpdatesSubscription,
  PendingPopups,
  popupsSubscription,
} from './operations';

export type CallUpdate = CallUpdatesSubscription['callUpdates'];
type InteractionUpdate = InteractionUpdatesSubscription['interactionUpdates'];

export type FeedStatus = 'connecting' | 'live' | 'reconnecting' | 'refused' | 'expired';

export interface FeedState {
  status: FeedStatus;
  /** Newest first, one per popup id. */
  popups: PopupFieldsFragment[];
  refusal: ConnectionRefusal | null;
  /** Bumped when a popup arrives live (not from catch-up), so the view can move focus to it. */
  lastArrivedId: string | null;
  /** The latest status change (answered, ended, transferred, missed) per call id, live. */
  calls: Record<string, CallUpdate>;
  /** Bumped when a call is missed, so the missed-calls list reloads. */
  missedVersion: number;
}

const { UNAUTHENTICATED, TOKEN_EXPIRED, CONNECTION_LIMIT_REACHED } = liveCloseCodes;

/** On a fresh console, popups that rang this long ago are still worth showing. */
const INITIAL_LOOKBACK_MS = 15 * 60_000;
/** A second catch-up after a reconnect, once the server surely has the subscription. */
const CATCH_UP_AGAIN_MS = 3_000;
/** How far before the socket was lost a catch-up reaches back (calls delayed in the pipeline). */
const CATCH_UP_MARGIN_MS = 2 * 60_000;
const MAX_POPUPS = 50;

const isClose = (value: unknown): value is CloseEvent =>
  typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;

/** Exponential backoff with jitter, 1 s doubling to 30 s. */
export const backoffMs = (retries: number, random = Math.random) =>
  Math.round(Math.min(30_000, 1_000 * 2 ** retries) * (0.5 + random() / 2));

/**
 * The operator's live popups: one graphql-ws subscription that reconnects by itself with backoff
 * and, after every (re)connection, catches up with `pendingPopups` so nothing rung while
 * offline is lost. Popup ids are stable, so catch-up and live delivery deduplicate.
 */
export class PopupFeed {
  private state: FeedState = {
    status: 'connecting',
    popups: [],
    refusal: null,
    lastArrivedId: null,
    calls: {},
    missedVersion: 0,
  };
  private readonly listeners = new Set<() => void>();
  private client: Client | null = null;
  private unsubscribe: (() => void)[] = [];
  private since = new Date(Date.now() - INITIAL_LOOKBACK_MS).toISOString();
  /** When the socket was last lost (ms), for the next catch-up. */
  private lostAt: number | null = null;
  private onPopup: ((popup: PopupFieldsFragment) => void) | null = null;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = () => this.state;

  /** Called for each popup that arrives live (browser notifications). */
  setOnPopup(callback: ((popup: PopupFieldsFragment) => void) | null) {
    this.onPopup = callback;
  }

  start() {
    this.stop();
    this.set({ status: 'connecting', refusal: null });
    const device = describeDevice();
    const client = createClient({
      url: gatewayWsUrl(),
      lazy: false,
      keepAlive: 15_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      connectionParams: async () => ({
        authorization: `Bearer ${(await freshAccessToken()) ?? ''}`,
        deviceKind: device.deviceKind,
        label: device.label,
      }),
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, backoffMs(retries))),
      shouldRetry: (event) =>
        !isClose(event) ||
        !([UNAUTHENTICATED, TOKEN_EXPIRED, CONNECTION_LIMIT_REACHED] as number[]).includes(event.code),
      on: {
        connected: () => {
          this.set({ status: 'live', refusal: null });
          // Twice from the same point: popups written between the first read and the moment the
          // server has registered this socket's subscription reach neither (the drill lost some
          // that way when a backlog flushed right after an outage); the second pass catches them.
          const since = this.catchUpSince();
          void this.catchUp(since);
          setTimeout(() => void this.catchUp(since), CATCH_UP_AGAIN_MS);
        },
        closed: (event) => {
          if (this.state.status === 'live') this.lostAt = Date.now();
          if (!isClose(event)) return;
          if (event.code === CONNECTION_LIMIT_REACHED)
            this.set({ status: 'refused', refusal: parseRefusal(event.reason) });
          else if (event.code === TOKEN_EXPIRED) void this.restartWithFreshToken();
          else if (event.code === UNAUTHENTICATED) this.set({ status: 'expired' });
          else if (this.state.status !== 'refused') this.set({ status: 'reconnecting' });
        },
      },
    });
    this.client = client;
    // Three subscriptions over the one socket (one concurrent connection).
    const sink = <T>(next: (data: T) => void) => ({
      next: ({ data }: { data?: T | null }) => {
        if (data) next(data);
      },
      error: () => {
        // Terminal (refused or expired): the `closed` handler has set the status.
      },
      complete: () => {},
    });
    this.unsubscribe = [
      client.subscribe<{ popups: PopupFieldsFragment }>(
        { query: popupsSubscription },
        sink((d) => this.add([d.popups], true)),
      ),
      client.subscribe<CallUpdatesSubscription>(
        { query: callUpdatesSubscription },
        sink((d) => this.callUpdate(d.callUpdates)),
      ),
      client.subscribe<InteractionUpdatesSubscription>(
        { query: interactionUpdatesSubscription },
        sink((d) => this.interactionUpdate(d.interactionUpdates)),
      ),
    ];
  }

  /** A call on screen was answered, ended, transferred or missed (possibly at another operator's desk). */
  callUpdate(update: CallUpdate) {
    const previous = this.state.calls[update.callId];
    if (previous && previous.at > update.at) return; // out of order: keep the newer status
    this.set({
      calls: { ...this.state.calls, [update.callId]: update },
      missedVersion: this.state.missedVersion + (update.event === 'MISSED' ? 1 : 0),
    });
  }

  /** A colleague took a call: its popup shows who handles it. */
  interactionUpdate(update: InteractionUpdate) {
    if (update.kind !== 'TAKEN' || update.handledBy.length === 0) return;
    const matches = (p: PopupFieldsFragment) =>
      (update.popupId && p.popupId === update.popupId) || (update.callId && p.callId === update.callId);
    if (!this.state.popups.some(matches)) return;
    this.set({
      popups: this.state.popups.map((p) =>
        matches(p) ? { ...p, handledBy: update.handledBy, interactionId: p.interactionId ?? update.interactionId } : p,
      ),
    });
  }

  stop() {
    for (const stop of this.unsubscribe) stop();
    this.unsubscribe = [];
    void this.client?.dispose();
    this.client = null;
  }

  /** Replaces a popup after a change made from this console (taken, quick-created). */
  update(popupId: string, change: (popup: PopupFieldsFragment) => PopupFieldsFragment) {
    this.set({ popups: this.state.popups.map((p) => (p.popupId === popupId ? change(p) : p)) });
  }

  /** The token expired mid-shift: refresh it and reconnect (catch-up covers the gap). */
  private async restartWithFreshToken() {
    if (await refreshSession()) this.start();
    else this.set({ status: 'expired' });
  }

  /**
   * Where a catch-up starts: the newest popup seen, but no later than shortly before the socket
   * was lost: a call that rang before the newest popup may reach the pipeline's end after it
   * (another partition, a service catching up after an outage).
   */
  private catchUpSince(): string {
    if (this.lostAt === null) return this.since;
    const beforeLoss = new Date(this.lostAt - CATCH_UP_MARGIN_MS).toISOString();
    return beforeLoss < this.since ? beforeLoss : this.since;
  }

  private async catchUp(since = this.since) {
    try {
      const { pendingPopups } = await request(PendingPopups, { since });
      this.add(pendingPopups, false);
    } catch {
      // The live stream still works; the next reconnection catches up again from the same point.
    }
  }

  private add(incoming: PopupFieldsFragment[], live: boolean) {
    if (incoming.length === 0) return;
    const byId = new Map(this.state.popups.map((p) => [p.popupId, p]));
    const fresh: PopupFieldsFragment[] = [];
    for (const popup of incoming) {
      if (!byId.has(popup.popupId)) fresh.push(popup);
      // A popup sent again (transfer) replaces the earlier one.
      byId.set(popup.popupId, popup);
      if (popup.rangAt > this.since) this.since = popup.rangAt;
    }
    const popups = [...byId.values()].sort((a, b) => b.rangAt.localeCompare(a.rangAt)).slice(0, MAX_POPUPS);
    const newest = fresh.sort((a, b) => b.rangAt.localeCompare(a.rangAt))[0];
    this.set({ popups, lastArrivedId: newest ? newest.popupId : this.state.lastArrivedId });
    if (live) for (const popup of fresh) this.onPopup?.(popup);
  }

  private set(change: Partial<FeedState>) {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
}
