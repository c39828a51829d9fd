/**
 * Close codes of the live socket (graphql-ws at /graphql): the gateway closes with them and every
 * live client (libs/live-client, used by the console and the desktop client) acts on them, so all
 * import this one list. No imports, so a browser bundle takes it as it is
 * (`@thankstar/contracts/live-close-codes`). The reason starts with a stable code.
 *
 * graphql-ws's own protocol codes keep graphql-ws's meanings and are not reused: 4400 bad request
 * (our bad connection params), 4401 unauthorized (no or an invalid token), 4403 forbidden,
 * 4406 subprotocol, 4408 connection-init timeout, 4409 subscriber already exists, 4429 too many
 * init requests, 4499 terminated, 4500 internal error. Our own meanings use other 44xx/45xx codes.
 *
 * What a client does with each:
 * - retry with backoff (and catch up with pendingPopups): TOO_SLOW, LEASE_UNAVAILABLE, any close
 *   not listed here (network loss, 1001 server going away);
 * - refresh the access token, then reconnect: TOKEN_EXPIRED;
 * - stop and ask the user to sign in again: UNAUTHENTICATED (also `TOKEN_REVOKED` after a
 *   password reset);
 * - stop and show the holders (reason is JSON), retry only when the user asks:
 *   CONNECTION_LIMIT_REACHED;
 * - stop for good (`finalLiveCloseCodes`): LEASE_ENDED (an admin ended the connection, or the
 *   same user's newer tab or the same PC's newer connection took it over: the reason says which;
 *   final, so the two tabs never take the connection back and forth),
 *   USER_DISABLED, SEAT_REQUIRED (a desktop client whose PC has no seat, or `SEAT_OF_ANOTHER_USER`),
 *   SEAT_REVOKED (the PC's pairing was revoked or its credential is not valid).
 */
export const liveCloseCodes = {
  BAD_CONNECTION_PARAMS: 4400,
  UNAUTHENTICATED: 4401,
  LEASE_ENDED: 4410,
  USER_DISABLED: 4411,
  SEAT_REQUIRED: 4412,
  TOKEN_EXPIRED: 4413,
  TOO_SLOW: 4414,
  CONNECTION_LIMIT_REACHED: 4415,
  SEAT_REVOKED: 4416,
  LEASE_UNAVAILABLE: 4503,
} as const;

/** Closes after which reconnecting cannot help: an admin or the account's state decided. */
export const finalLiveCloseCodes: readonly number[] = [
  liveCloseCodes.LEASE_ENDED,
  liveCloseCodes.USER_DISABLED,
  liveCloseCodes.SEAT_REQUIRED,
  liveCloseCodes.SEAT_REVOKED,
];

/** graphql-ws's own close codes (protocol), which ours never reuse. */
export const graphqlWsProtocolCloseCodes: readonly number[] = [4400, 4401, 4403, 4406, 4408, 4409, 4429, 4499, 4500];

/** The close reason for a disabled user: the lease refusal and the token revocation say the same. */
export const USER_DISABLED_REASON = 'USER_DISABLED: this user has been disabled; ask your administrator';

/** A WebSocket close reason is at most 123 bytes of UTF-8. */
export const MAX_CLOSE_REASON_BYTES = 123;
