import { DomainError } from '@thankstar/platform';

export interface LeaseHolder {
  leaseId: string;
  /** For the gateway: a refused user's own earlier tab is taken over, never another user's. */
  userId: string;
  userName: string;
  deviceKind: string;
  label: string;
  since: string;
}

export const leaseNotFound = () => new DomainError('LEASE_NOT_FOUND');

/** A heartbeat of a disabled user: the gateway closes the socket on this 404 as on any ended lease. */
export const leaseOfDisabledUser = () => new DomainError('LEASE_OF_DISABLED_USER');

/** The user was disabled by an administrator: no new connection, and live ones end. */
export const userDisabled = () => new DomainError('USER_DISABLED');

export const connectionLimitReached = (capacity: number, holders: LeaseHolder[]) =>
  new DomainError('CONNECTION_LIMIT_REACHED', { capacity }, { capacity, holders });
