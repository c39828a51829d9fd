/**
 * The console as an installable desktop app (Progressive Web App): the service worker
 * (src/pwa/service-worker.js, built into /sw.js), the install prompt, notifications that bring a
 * popup to the front when clicked, and the app badge with the number of missed calls.
 */

/** Registers /sw.js in built bundles (the dev server has none). */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    void navigator.serviceWorker.register('/sw.js').catch(() => {
      // Without a service worker the console still works; only the offline shell is missing.
    });
  });
}

interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

let installPrompt: InstallPromptEvent | null = null;
const installListeners = new Set<() => void>();

/** Chrome and Edge offer installation through this event; the setup page shows a button for it. */
export function captureInstallPrompt(): void {
  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    installPrompt = event as InstallPromptEvent;
    for (const listener of installListeners) listener();
  });
  window.addEventListener('appinstalled', () => {
    installPrompt = null;
    for (const listener of installListeners) listener();
  });
}

export const installState = {
  subscribe(listener: () => void) {
    installListeners.add(listener);
    return () => installListeners.delete(listener);
  },
  canInstall: () => installPrompt !== null,
  /** Running as the installed app (its own window), not in a browser tab. */
  installed: () =>
    window.matchMedia('(display-mode: standalone)').matches ||
    window.matchMedia('(display-mode: window-controls-overlay)').matches,
  async install(): Promise<boolean> {
    if (!installPrompt) return false;
    await installPrompt.prompt();
    const { outcome } = await installPrompt.userChoice;
    installPrompt = null;
    for (const listener of installListeners) listener();
    return outcome === 'accepted';
  },
};

/** The message the service worker sends when a notification is clicked. */
export interface FocusPopupMessage {
  type: 'thankstar.focus-popup';
  popupId: string;
}

/** Calls `focus` with the popup id of a clicked notification (from the service worker or the page). */
export function onNotificationClick(focus: (popupId: string) => void): () => void {
  const fromWorker = (event: MessageEvent) => {
    const data = event.data as Partial<FocusPopupMessage> | null;
    if (data?.type === 'thankstar.focus-popup' && typeof data.popupId === 'string') focus(data.popupId);
  };
  navigator.serviceWorker?.addEventListener('message', fromWorker);
  // Opened by a click while no console was open: /console#popup-<id>.
  const fromHash = /^#popup-(.+)$/.exec(window.location.hash);
  if (fromHash?.[1]) focus(decodeURIComponent(fromHash[1]));
  return () => navigator.serviceWorker?.removeEventListener('message', fromWorker);
}

/**
 * A desktop notification for a popup, when the console is not what the operator is looking at
 * (another window in front, the tab hidden, the app minimised). Through the service worker when
 * there is one (installed apps; the click is handled there even if the page was discarded),
 * otherwise a page notification whose click focuses the popup directly.
 */
export async function notifyPopup(
  title: string,
  body: string,
  popupId: string,
  focus: (popupId: string) => void,
): Promise<void> {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  if (document.visibilityState === 'visible' && document.hasFocus()) return;
  const options: NotificationOptions = {
    body,
    tag: popupId,
    data: { popupId },
    icon: '/icons/icon-192.png',
    badge: '/icons/icon-192.png',
    requireInteraction: true,
  };
  const registration = await navigator.serviceWorker?.getRegistration();
  if (registration?.active) {
    await registration.showNotification(title, options);
    return;
  }
  const notification = new Notification(title, options);
  notification.onclick = () => {
    window.focus();
    focus(popupId);
    notification.close();
  };
}

/** The installed app's badge: the number of missed calls not yet seen (cleared at zero). */
export function setMissedBadge(count: number): void {
  const nav = navigator as Navigator & {
    setAppBadge?: (n?: number) => Promise<void>;
    clearAppBadge?: () => Promise<void>;
  };
  if (count > 0) void nav.setAppBadge?.(count).catch(() => undefined);
  else void nav.clearAppBadge?.().catch(() => undefined);
}
