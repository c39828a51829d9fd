/**
 * This PC's desktop pairing, kept in the browser: the device credential licensing issued when an
 * admin approved the PC. localStorage is the store (acceptable for the installed console: it is
 * the PC's own profile, and the credential admits nothing without the user's own sign-in; a copy
 * used by another user is refused with SEAT_REVOKED). It is kept per user: another user signing in
 * on the PC connects as a web client until their own pairing.
 */
export interface DesktopDevice {
  userId: string;
  pcName: string;
  credential: string;
}

const KEY = 'thankstar.desktopDevice';

export function desktopDevice(userId: string | undefined): DesktopDevice | null {
  if (!userId) return null;
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as DesktopDevice | null;
    return stored && stored.userId === userId && typeof stored.credential === 'string' ? stored : null;
  } catch {
    return null;
  }
}

export function saveDesktopDevice(device: DesktopDevice): void {
  localStorage.setItem(KEY, JSON.stringify(device));
}

/** The pairing was revoked (or the credential is no longer valid): pair again to connect as a desktop. */
export function forgetDesktopDevice(): void {
  localStorage.removeItem(KEY);
}
