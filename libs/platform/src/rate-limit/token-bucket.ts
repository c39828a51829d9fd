/** A token bucket's size and refill: `burst` requests at once, `perSecond` earned back. */
export interface RateLimit {
  /** Requests a caller may make at once. */
  burst: number;
  /** Requests per second it earns back. */
  perSecond: number;
}

export interface TokenBucket {
  tokens: number;
  updatedAtMs: number;
}

export interface TakeResult {
  bucket: TokenBucket;
  allowed: boolean;
  /** Whole seconds until the bucket holds a request again; 0 when allowed. */
  retryAfterSeconds: number;
}

/** The tokens a bucket holds at `nowMs` (a missing bucket is full; a clock going back earns nothing). */
export function tokensAt(bucket: TokenBucket | undefined, limit: RateLimit, nowMs: number): number {
  if (!bucket) return limit.burst;
  const elapsed = Math.max(0, nowMs - bucket.updatedAtMs) / 1000;
  return Math.min(limit.burst, bucket.tokens + elapsed * limit.perSecond);
}

/** Whole seconds until `tokens` reaches one request: at least 1 while it is short, 0 when it is not. */
const secondsUntilOne = (tokens: number, limit: RateLimit) =>
  tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / limit.perSecond));

/** Takes one request from the bucket: the rule, without state, so it is tested by properties. */
export function takeToken(bucket: TokenBucket | undefined, limit: RateLimit, nowMs: number): TakeResult {
  const tokens = tokensAt(bucket, limit, nowMs);
  if (tokens >= 1) return { bucket: { tokens: tokens - 1, updatedAtMs: nowMs }, allowed: true, retryAfterSeconds: 0 };
  return { bucket: { tokens, updatedAtMs: nowMs }, allowed: false, retryAfterSeconds: secondsUntilOne(tokens, limit) };
}

/**
 * Token buckets by key (a user, a tenant, an address). Each instance limits its own traffic;
 * with N replicas behind a balancer a caller gets at most N times the rate.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  /** Whole seconds until the key's bucket holds a request again (0 when it does now). */
  waitSeconds(key: string): number {
    return secondsUntilOne(tokensAt(this.buckets.get(key), this.limit, this.now()), this.limit);
  }

  /** Takes one request from the key's bucket; false when it is empty. */
  take(key: string): boolean {
    const now = this.now();
    const result = takeToken(this.buckets.get(key), this.limit, now);
    this.buckets.set(key, result.bucket);
    if (result.allowed && this.buckets.size > this.maxKeys) this.forgetFull(now);
    return result.allowed;
  }

  /** A bucket that has refilled is the same as no bucket: drop those to bound memory. */
  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (tokensAt(bucket, this.limit, now) >= this.limit.burst) this.buckets.delete(key);
    }
  }
}
