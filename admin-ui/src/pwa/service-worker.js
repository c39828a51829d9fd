/* The console's service worker (built into dist/sw.js by vite.config.ts's `serviceWorker()`
 * plugin, which fills in VERSION and SHELL). Plain JavaScript without imports: it runs as is.
 *
 * - Offline shell: the app's own files are cached at install, so the installed client opens
 *   without a network and shows its "reconnecting" state instead of the browser's error page.
 * - Live data is never cached: /graphql (queries and the graphql-ws socket) and /v1 (invoices,
 *   imports) always go to the network; /config.js (per-stack settings) is network first.
 * - Notification clicks bring the console to the front and focus that popup.
 */
const VERSION = '__VERSION__';
const SHELL = __SHELL__;
const CACHE = `thankstar-shell-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith('thankstar-shell-') && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/graphql') || url.pathname.startsWith('/v1/')) return;
  if (url.pathname === '/config.js') {
    event.respondWith(
      fetch(request)
        .then((response) => {
          const copy = response.clone();
          void caches.open(CACHE).then((cache) => cache.put(request, copy));
          return response;
        })
        .catch(() => caches.match(request).then((hit) => hit ?? new Response('', { status: 504 }))),
    );
    return;
  }
  if (request.mode === 'navigate') {
    // The single-page app: every path is index.html; the network first so a new version shows.
    event.respondWith(fetch(request).catch(() => caches.match('/index.html')));
    return;
  }
  event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const popupId = event.notification.data?.popupId || event.notification.tag;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const target =
        windows.find((w) => new URL(w.url).pathname.startsWith('/console')) ||
        windows.find((w) => new URL(w.url).pathname.startsWith('/compact')) ||
        windows[0];
      if (target) {
        // The message first: the page focuses the popup's card even where the browser refuses
        // to raise its window (focus() needs the click's user activation).
        target.postMessage({ type: 'thankstar.focus-popup', popupId });
        await target.focus().catch(() => undefined);
        return;
      }
      await self.clients.openWindow(`/console#popup-${encodeURIComponent(popupId)}`);
    })(),
  );
});
