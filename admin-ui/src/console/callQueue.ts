import type { CallUpdate } from './popupFeed';

/** What the queue needs of a popup. */
export interface QueuedPopup {
  popupId: string;
  callId: string;
  rangAt: string;
  handledBy?: { userId: string }[] | null;
}

export interface QueueEntry<P extends QueuedPopup> {
  popup: P;
  /** Still ringing: no update has said answered, ended, missed or transferred since it rang. */
  ringing: boolean;
  /** Shown as the full popup card; otherwise as one line that expands on click. */
  expanded: boolean;
}

/**
 * A call whose popup came without any update for this long is no longer taken as ringing: its
 * update was most likely sent while this console was disconnected (call updates are live only).
 */
export const RINGING_LIMIT_MS = 3 * 60_000;

/**
 * True while the call rings: no status change yet, or only one older than this popup (a transfer
 * sends the popup again, ringing at the new destination), and nobody has taken it (対応します):
 * a popup caught up after a reconnection carries who handles it, but no call status.
 */
export function isRinging(popup: QueuedPopup, update: CallUpdate | undefined, now: number): boolean {
  if (update && update.at >= popup.rangAt) return false;
  if ((popup.handledBy ?? []).length > 0) return false;
  const rang = Date.parse(popup.rangAt);
  return Number.isNaN(rang) || now - rang < RINGING_LIMIT_MS;
}

/**
 * The console's queue: ringing calls first, then the rest, each group newest first. Expanded by
 * default: the top entry (the call to pick up now) and the newest call the operator took (the one
 * they are working on, notes after the call included); everything else is one line. The
 * operator's own choice (`overrides`, by popup id) wins over the default either way.
 */
export function callQueue<P extends QueuedPopup>(
  popups: readonly P[],
  calls: Readonly<Record<string, CallUpdate | undefined>>,
  options: { meId?: string | null; overrides?: Readonly<Record<string, boolean>>; now: number },
): QueueEntry<P>[] {
  const newestFirst = [...popups].sort((a, b) => b.rangAt.localeCompare(a.rangAt));
  const ringing = new Set(newestFirst.filter((p) => isRinging(p, calls[p.callId], options.now)).map((p) => p.popupId));
  const ordered = [
    ...newestFirst.filter((p) => ringing.has(p.popupId)),
    ...newestFirst.filter((p) => !ringing.has(p.popupId)),
  ];
  const meId = options.meId;
  const mine = meId ? newestFirst.find((p) => (p.handledBy ?? []).some((h) => h.userId === meId)) : undefined;
  return ordered.map((popup, index) => ({
    popup,
    ringing: ringing.has(popup.popupId),
    expanded: options.overrides?.[popup.popupId] ?? (index === 0 || popup.popupId === mine?.popupId),
  }));
}
