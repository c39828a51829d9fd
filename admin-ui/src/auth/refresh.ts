import { operation } from '../graphql/operation';
import { sendOperation } from '../graphql/transport';
import type { RefreshMutation, RefreshMutationVariables } from '../graphql/types';
import { clearSession, currentSession, loadSession, type Session, saveSession } from './session';

const Refresh = operation<RefreshMutation, RefreshMutationVariables>(/* GraphQL */ `
  mutation Refresh($refreshToken: String!) {
    refresh(refreshToken: $refreshToken) {
      accessToken
      expiresAt
      refreshToken
      user {
        id
        name
        roles
        tenant {
          id
          name
          timezone
        }
      }
    }
  }
`);

let inFlight: Promise<Session | null> | null = null;

/**
 * Trades the refresh token for a new access token. Refresh tokens are single use, so concurrent
 * callers (HTTP retries, the popup socket) share one exchange.
 */
export function refreshSession(): Promise<Session | null> {
  inFlight ??= (async () => {
    const refreshToken = loadSession()?.refreshToken;
    if (!refreshToken) return null;
    try {
      // Sent as is (no token, no retry): this IS the refresh, it must not trigger another one.
      const { refresh } = await sendOperation(Refresh, { refreshToken }, undefined);
      const session: Session = { ...refresh };
      saveSession(session);
      return session;
    } catch {
      clearSession();
      return null;
    }
  })().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

/** A valid access token, refreshed first when the stored one has expired. */
export async function freshAccessToken(): Promise<string | null> {
  return (currentSession() ?? (await refreshSession()))?.accessToken ?? null;
}
