import { LiveClient, type LiveClose } from '@thankstar/live-client';
import { freshAccessToken, refreshSession } from '../auth/refresh';
import { currentSession } from '../auth/session';
import { gatewayWsUrl } from '../config';
import { request } from '../graphql/client';
import type { CallUpdatesSubscription, InteractionUpdatesSubscription, PopupFieldsFragment } from '../graphql/types';
import { alertsOperator } from './arrival';
import type { ConnectionRefusal } from './connectionRefusal';
import { desktopDevice, forgetDesktopDevice } from './desktopDevice';
import { describeDevice } from './device';
import { statusChange } from './feedStatus';
import {
  callUpdatesSubscription,
  interactionUpdatesSubscription,
  PendingPopups,
  popupsSubscription,
} from './operations';

export type CallUpdate = CallUpdatesSubscription['callUpdates'];
type InteractionUpdate = InteractionUpdatesSubscription['interactionUpdates'];

/** 'ended': closed for good (an admin ended the connection, the user was disabled, the PC's seat). */
export type FeedStatus = 'connecting' | 'live' | 'reconnecting' | 'refused' | 'expired' | 'ended';

export interface FeedState {
  status: FeedStatus;
  /** Newest first, one per popup id. */
  popups: PopupFieldsFragment[];
  /** Why the socket was refused ('refused') or ended for good ('ended'). */
  refusal: ConnectionRefusal | null;
  /** Bumped when a popup arrives live (not from catch-up), so the view can move focus to it. */
  lastArrivedId: string | null;
  /** The latest status change (answered, ended, transferred, missed) per call id, live. */
  calls: Record<string, CallUpdate>;
  /** Bumped when a call is missed, so the missed-calls list reloads. */
  missedVersion: number;
}

const MAX_POPUPS = 50;

/**
 * The operator's live popups, as the console shows them: the connection itself (reconnect with
 * backoff, catch-up through pendingPopups, the close codes) is libs/live-client's `LiveClient`,
 * the one live client the desktop client and third parties use too; this keeps the view's state.
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
  private onPopup: ((popup: PopupFieldsFragment) => void) | null = null;
  private readonly live = new LiveClient<PopupFieldsFragment, CallUpdate, InteractionUpdate>({
    url: gatewayWsUrl(),
    accessToken: () => freshAccessToken(),
    refreshSession: async () => (await refreshSession()) !== null,
    connectionParams: () => {
      // A paired PC connects as a desktop with its credential (no concurrent connection taken).
      const desktop = desktopDevice(currentSession()?.user?.id);
      if (desktop) return { deviceKind: 'desktop', label: desktop.pcName, deviceCredential: desktop.credential };
      const device = describeDevice();
      return { deviceKind: device.deviceKind, label: device.label };
    },
    pendingPopups: async (since) => (await request(PendingPopups, { since })).pendingPopups,
    documents: {
      popups: popupsSubscription,
      callUpdates: callUpdatesSubscription,
      interactionUpdates: interactionUpdatesSubscription,
    },
    onPopup: (popup, { live }) => this.add(popup, live),
    onCallUpdate: (update) => this.callUpdate(update),
    onInteractionUpdate: (update) => this.interactionUpdate(update),
    onStatus: (status, close) => this.status(status, close),
  });

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
    this.live.start();
  }

  stop() {
    this.live.stop();
  }

  /** Connects again (e.g. as a desktop once the PC is paired). */
  restart() {
    this.live.stop();
    this.live.start();
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

  /** Replaces a popup after a change made from this console (taken, quick-created). */
  update(popupId: string, change: (popup: PopupFieldsFragment) => PopupFieldsFragment) {
    this.set({ popups: this.state.popups.map((p) => (p.popupId === popupId ? change(p) : p)) });
  }

  private status(status: FeedStatus, close: LiveClose | null) {
    // The "cannot connect" banner goes as soon as the socket is live again (feedStatus.ts).
    const change = statusChange(status, close);
    // A revoked PC's credential admits nothing any more: forget it, so the console can pair again.
    if (status === 'ended' && change.refusal?.code === 'SEAT_REVOKED') forgetDesktopDevice();
    this.set(change);
  }

  private add(popup: PopupFieldsFragment, live: boolean) {
    const fresh = !this.state.popups.some((p) => p.popupId === popup.popupId);
    // A popup sent again (transfer) replaces the earlier one.
    const popups = [popup, ...this.state.popups.filter((p) => p.popupId !== popup.popupId)]
      .sort((a, b) => b.rangAt.localeCompare(a.rangAt))
      .slice(0, MAX_POPUPS);
    // Popups arrive oldest first, so the last fresh one is the newest that arrived.
    this.set({ popups, lastArrivedId: fresh ? popup.popupId : this.state.lastArrivedId });
    if (alertsOperator(popup, { live, fresh }, this.state.calls, Date.now())) this.onPopup?.(popup);
  }

  private set(change: Partial<FeedState>) {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
}
