/**
 * A token bucket per tenant: `burst` requests at once, refilled at `perSecond`. A tenant over
 * its limit is told when to retry; other tenants are not affected.
 */
export interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

export interface RateLimit {
  burst: number;
  perSecond: number;
}

export function takeToken(
  bucket: Bucket | undefined,
  limit: RateLimit,
  nowMs: number,
): { bucket: Bucket; allowed: boolean; retryAfterSeconds: number } {
  const elapsed = Math.max(0, nowMs - (bucket?.updatedAtMs ?? nowMs)) / 1000;
  const tokens = Math.min(limit.burst, (bucket?.tokens ?? limit.burst) + elapsed * limit.perSecond);
  if (tokens >= 1) return { bucket: { tokens: tokens - 1, updatedAtMs: nowMs }, allowed: true, retryAfterSeconds: 0 };
  return {
    bucket: { tokens, updatedAtMs: nowMs },
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / limit.perSecond)),
  };
}
