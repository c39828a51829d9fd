export const roles = ['operator', 'tenant-admin', 'back-office', 'sales', 'platform-admin'] as const;
export type Role = (typeof roles)[number];

/** Who is calling, as proven by a verified access token. */
export interface Principal {
  userId: string;
  tenantId: string;
  roles: Role[];
  name?: string;
  /** Expiry of the access token, seconds since the epoch. */
  expiresAt: number;
  /** When the access token was issued (`iat`), seconds since the epoch: revocations void older tokens. */
  issuedAt?: number;
  /**
   * The sign-in session (refresh-token family, claim `sid`) the token was minted in: a session
   * ended because its refresh token was reused voids its access tokens too.
   */
  sessionId?: string;
}
