export type Role = 'OPERATOR' | 'TENANT_ADMIN' | 'BACK_OFFICE' | 'SALES' | 'PLATFORM_ADMIN';

export interface Session {
  accessToken: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  user: { id: string; name: string; roles: Role[]; tenant: { id: string; name: string; timezone?: string } };
}

const KEY = 'thankstar.session';

export function currentSession(): Session | null {
  const raw = sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Session;
    return session.expiresAt * 1000 > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
  sessionStorage.removeItem(KEY);
}

export const hasRole = (session: Session | null, ...roles: Role[]) =>
  !!session && session.user.roles.some((r) => roles.includes(r));

export const isProvider = (session: Session | null) => hasRole(session, 'BACK_OFFICE', 'SALES', 'PLATFORM_ADMIN');
