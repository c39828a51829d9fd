import { Inject, Injectable } from '@nestjs/common';
import { DomainError, RateLimiter } from '@thankstar/platform';
import { CONFIG, type TelephonyConfig } from '../config';

/**
 * Per-tenant limit on incoming call events, per instance (TELEPHONY_RATE_LIMIT_BURST,
 * TELEPHONY_RATE_LIMIT_PER_SECOND): a token bucket per tenant. Several replicas each allow the
 * limit. A tenant over its limit is told when to retry; other tenants are not affected.
 */
@Injectable()
export class TenantRateLimiter {
  private readonly limiter: RateLimiter;

  constructor(@Inject(CONFIG) config: TelephonyConfig) {
    this.limiter = new RateLimiter({
      burst: config.TELEPHONY_RATE_LIMIT_BURST,
      perSecond: config.TELEPHONY_RATE_LIMIT_PER_SECOND,
    });
  }

  /** Throws RATE_LIMITED (429) and sets Retry-After when the tenant is over its limit. */
  take(tenantId: string, res: { setHeader(name: string, value: string): unknown }): void {
    if (this.limiter.take(tenantId)) return;
    const retryAfterSeconds = this.limiter.waitSeconds(tenantId);
    res.setHeader('Retry-After', String(retryAfterSeconds));
    throw new DomainError('RATE_LIMITED', { retryAfterSeconds });
  }
}
