export interface RateLimit {
  /** Requests a caller may make at once. */
  burst: number;
  /** Requests per second it earns back. */
  perSecond: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets by key (a user, a tenant, an address). Each instance limits its own traffic;
 * with N gateways behind a balancer a caller gets at most N times the rate.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  /** Whole seconds until the key's bucket holds a request again (0 when it does now). */
  waitSeconds(key: string): number {
    const missing = 1 - this.tokensOf(key, this.now());
    return missing > 0 ? Math.max(1, Math.ceil(missing / this.limit.perSecond)) : 0;
  }

  private tokensOf(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.limit.burst;
    return Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
  }

  /** Takes one request from the key's bucket; false when it is empty. */
  take(key: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      return false;
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.forgetFull(now);
    return true;
  }

  /** A bucket that has refilled is the same as no bucket: drop those to bound memory. */
  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond >= this.limit.burst)
        this.buckets.delete(key);
    }
  }
}
