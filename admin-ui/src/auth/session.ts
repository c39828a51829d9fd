export type Role = 'OPERATOR' | 'TENANT_ADMIN' | 'BACK_OFFICE' | 'SALES' | 'PLATFORM_ADMIN';

export interface Session {
  accessToken: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** Single use; traded for a new access token when this one expires. */
  refreshToken: string;
  user: { id: string; name: string; roles: Role[]; tenant: { id: string; name: string; timezone?: string } };
}

const KEY = 'thankstar.session';

/** The stored session, even when its access token has expired (its refresh token may still work). */
export function loadSession(): Session | null {
  const raw = localStorage.getItem(KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Session;
  } catch {
    return null;
  }
}

/** The session while its access token is still valid. */
export function currentSession(): Session | null {
  const session = loadSession();
  return session && session.expiresAt * 1000 > Date.now() ? session : null;
}

export function saveSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}

export const hasRole = (session: Session | null, ...roles: Role[]) =>
  !!session && session.user.roles.some((r) => roles.includes(r));
