declare global {
  interface Window {
    /** Per-stack settings from /config.js, so one build serves any stack. */
    __THANKSTAR__?: { gatewayUrl?: string; restBaseUrl?: string };
  }
}

/** The gateway's GraphQL URL: runtime /config.js first, then the build's VITE_GATEWAY_URL, then same origin. */
export function gatewayUrl(): string {
  return window.__THANKSTAR__?.gatewayUrl ?? import.meta.env.VITE_GATEWAY_URL ?? '/graphql';
}

/** The same endpoint for graphql-ws. */
export function gatewayWsUrl(): string {
  const url = new URL(gatewayUrl(), window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * Where REST paths the API hands out (invoice PDFs) are fetched from: `restBaseUrl` from
 * /config.js, else the gateway's origin.
 */
export function restUrl(path: string): string {
  const base = window.__THANKSTAR__?.restBaseUrl ?? new URL(gatewayUrl(), window.location.href).origin;
  return new URL(path, base || window.location.origin).toString();
}
