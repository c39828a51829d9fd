import { errorCatalogue, liveCloseCodes, type SessionEvent } from '@thankstar/contracts';
import { SEAT_REVOKED_REASON } from './licensing-leases';

/** A lease licensing ended, as the gateway needs it to close the socket that held it. */
export interface LeaseEnd {
  leaseId: string;
  reason: 'closed' | 'expired' | 'ended-by-admin' | 'revoked';
}

/** licensing.sessions.v1's `disconnected` events; anything else is not for the sockets. */
export function leaseEndOf(event: SessionEvent): LeaseEnd | undefined {
  const p = event.payload;
  return p.kind === 'disconnected' ? { leaseId: p.leaseId, reason: p.reason } : undefined;
}

/** The close reason for a taken-over tab (LEASE_ENDED, final), Japanese from the catalogue. */
export const TAKEN_OVER_REASON = `LEASE_TAKEN_OVER: ${errorCatalogue.LEASE_TAKEN_OVER.ja}`;

/**
 * How a socket whose lease ended elsewhere is closed. The gateway's own release removes the
 * socket before its event comes back, so an event for a socket still open means someone else
 * ended it: its PC was revoked (SEAT_REVOKED, 4416), an admin ended it, it expired, or it was
 * closed by a newer connection of the same PC or the same user's newer tab (LEASE_ENDED, 4410).
 */
export function leaseEndClose(reason: LeaseEnd['reason']): { code: number; reason: string } {
  switch (reason) {
    case 'revoked':
      return { code: liveCloseCodes.SEAT_REVOKED, reason: SEAT_REVOKED_REASON };
    case 'closed':
      return { code: liveCloseCodes.LEASE_ENDED, reason: TAKEN_OVER_REASON };
    default:
      return {
        code: liveCloseCodes.LEASE_ENDED,
        reason: 'LEASE_ENDED: this connection was ended by an administrator or expired',
      };
  }
}
