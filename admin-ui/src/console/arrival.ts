import { isRinging, type QueuedPopup } from './callQueue';
import type { CallUpdate } from './popupFeed';

/**
 * Whether a popup that just reached the console should alert the operator (a desktop
 * notification when the console is not in front): it is new to this console, and either came
 * live or through a catch-up while its call still rings (callQueue's isRinging, the rule the queue
 * puts ringing calls on top by). A catch-up runs on every (re)connection and again 3 s later
 * (libs/live-client), so a ring in those seconds often reaches the console first through it; the
 * live push of the same popup then counts as already seen and would alert nobody.
 */
export function alertsOperator(
  popup: QueuedPopup,
  arrival: { live: boolean; fresh: boolean },
  calls: Record<string, CallUpdate>,
  now: number,
): boolean {
  if (!arrival.fresh) return false;
  const update = calls[popup.callId];
  if (arrival.live) return !update || update.at < popup.rangAt;
  return isRinging(popup, update, now);
}
