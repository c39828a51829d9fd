import { DomainError } from '@thankstar/platform';

export interface LeaseHolder {
  leaseId: string;
  userName: string;
  deviceKind: string;
  label: string;
  since: string;
}

export const leaseNotFound = () =>
  new DomainError('LEASE_NOT_FOUND', 'This connection has expired or was closed. Connect again.', 404);

/** A heartbeat of a disabled user: the gateway closes the socket on this 404 as on any ended lease. */
export const leaseOfDisabledUser = () =>
  new DomainError('LEASE_NOT_FOUND', 'This connection was ended: the account has been disabled.', 404);

/** The user was disabled by an administrator: no new connection, and live ones end. */
export const userDisabled = () =>
  new DomainError('USER_DISABLED', 'This account has been disabled. Ask your administrator.', 403);

export const connectionLimitReached = (capacity: number, holders: LeaseHolder[]) =>
  new DomainError(
    'CONNECTION_LIMIT_REACHED',
    `同時接続数の上限（${capacity}）に達しています。接続中の端末を閉じるか、管理者に接続パックの追加をご相談ください。` +
      ` (All ${capacity} concurrent connections are in use: close one of the devices listed, or ask your administrator for more packs.)`,
    409,
    { capacity, holders },
  );
