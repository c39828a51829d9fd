import { Injectable } from '@nestjs/common';
import { DomainError } from '@thankstar/platform';
import { type Bucket, type RateLimit, takeToken } from './rate-limit';

/**
 * Per-tenant limit on incoming call events, per instance (TELEPHONY_RATE_LIMIT_BURST,
 * TELEPHONY_RATE_LIMIT_PER_SECOND). Several replicas each allow the limit.
 */
@Injectable()
export class TenantRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly limit: RateLimit = {
    burst: Number(process.env.TELEPHONY_RATE_LIMIT_BURST ?? 500),
    perSecond: Number(process.env.TELEPHONY_RATE_LIMIT_PER_SECOND ?? 200),
  };

  /** Throws RATE_LIMITED (429) and sets Retry-After when the tenant is over its limit. */
  take(tenantId: string, res: { setHeader(name: string, value: string): unknown }): void {
    const result = takeToken(this.buckets.get(tenantId), this.limit, Date.now());
    this.buckets.set(tenantId, result.bucket);
    if (result.allowed) return;
    res.setHeader('Retry-After', String(result.retryAfterSeconds));
    throw new DomainError(
      'RATE_LIMITED',
      `Too many call events for this tenant: retry in ${result.retryAfterSeconds} s.`,
      429,
    );
  }
}
