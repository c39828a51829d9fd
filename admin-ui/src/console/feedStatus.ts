import type { LiveClose } from '@thankstar/live-client';
import { type ConnectionRefusal, parseRefusal } from './connectionRefusal';
import type { FeedStatus } from './popupFeed';

/**
 * The feed's state after a status change of the live connection. The refusal (the "cannot connect"
 * banner and the holders it names) belongs to 'refused' and 'ended' only: any other status, 'live'
 * above all, clears it, so the banner goes as soon as the connection is back.
 */
export function statusChange(
  status: FeedStatus,
  close: LiveClose | null,
): { status: FeedStatus; refusal: ConnectionRefusal | null } {
  const refusal = (status === 'refused' || status === 'ended') && close ? parseRefusal(close.reason) : null;
  return { status, refusal };
}
