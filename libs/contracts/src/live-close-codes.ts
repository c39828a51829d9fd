/**
 * Close codes of the live socket (graphql-ws at /graphql): the gateway closes with them and the
 * admin UI's console acts on them, so both import this one list. No imports, so the browser
 * bundle takes it as it is (`@thankstar/contracts/live-close-codes`). The reason starts with a stable
 * code so a client can act: re-login on 4401 (also `TOKEN_REVOKED` after a password reset),
 * refresh the token and reconnect on 4403,
 * reconnect (and catch up with pendingPopups) on 4408, tell the user on 4409 (the reason is
 * JSON with the holders) and on 4410 (an admin ended the connection), 4411 (the user was disabled:
 * do not retry) and 4412 (a desktop client whose PC has no seat, or `SEAT_OF_ANOTHER_USER`: its
 * seat is registered to another user),
 * retry later on 4503.
 */
export const liveCloseCodes = {
  BAD_CONNECTION_PARAMS: 4400,
  UNAUTHENTICATED: 4401,
  TOKEN_EXPIRED: 4403,
  TOO_SLOW: 4408,
  CONNECTION_LIMIT_REACHED: 4409,
  LEASE_ENDED: 4410,
  USER_DISABLED: 4411,
  SEAT_REQUIRED: 4412,
  LEASE_UNAVAILABLE: 4503,
} as const;

/** The close reason for a disabled user: the lease refusal and the token revocation say the same. */
export const USER_DISABLED_REASON = 'USER_DISABLED: this user has been disabled; ask your administrator';

/** A WebSocket close reason is at most 123 bytes of UTF-8. */
export const MAX_CLOSE_REASON_BYTES = 123;
