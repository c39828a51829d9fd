/**
 * When to send the next REGISTER. A binding is renewed well before it expires (at 80% of
 * its lifetime, at least 5 s early); a failed attempt is retried with exponential back-off,
 * capped, so a PBX that is down is not flooded.
 */
export function reRegisterAfterMs(grantedExpiresSeconds: number): number {
  const lifetime = Math.max(grantedExpiresSeconds, 1) * 1000;
  return Math.max(Math.min(lifetime * 0.8, lifetime - 5000), lifetime / 2);
}

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_MAX_MS = 5 * 60 * 1000;

export function retryAfterFailureMs(consecutiveFailures: number): number {
  const exponent = Math.min(Math.max(consecutiveFailures - 1, 0), 20);
  return Math.min(BACKOFF_BASE_MS * 2 ** exponent, BACKOFF_MAX_MS);
}
