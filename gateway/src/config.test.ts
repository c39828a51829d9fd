import { describe, expect, it } from 'vitest';
import { gatewayLimitsFromEnv, gatewayOptionsFromEnv } from './config';
import { defaultLimits } from './server';

describe('gateway settings from the environment', () => {
  it('keeps the defaults when nothing is set and reads what is', () => {
    expect(gatewayLimitsFromEnv({}, defaultLimits)).toEqual(defaultLimits);
    const limits = gatewayLimitsFromEnv(
      { GATEWAY_RATE_REFRESH_PER_SECOND: '0.5', GATEWAY_MAX_SUBSCRIPTIONS_PER_SOCKET: '5' },
      defaultLimits,
    );
    expect(limits.rateLimits.refresh).toEqual({ burst: defaultLimits.rateLimits.refresh.burst, perSecond: 0.5 });
    expect(limits.maxSubscriptionsPerSocket).toBe(5);
    expect(gatewayOptionsFromEnv({ GATEWAY_TRUSTED_PROXY_HOPS: '2' }, defaultLimits).trustedProxyHops).toBe(2);
  });

  it('stops on a typo, naming the variable, instead of running with NaN', () => {
    expect(() => gatewayLimitsFromEnv({ GATEWAY_RATE_ANONYMOUS_BURST: '1O' }, defaultLimits)).toThrow(
      /GATEWAY_RATE_ANONYMOUS_BURST/,
    );
    expect(() => gatewayLimitsFromEnv({ GATEWAY_MAX_SUBSCRIPTIONS_PER_SOCKET: '0' }, defaultLimits)).toThrow(
      /GATEWAY_MAX_SUBSCRIPTIONS_PER_SOCKET/,
    );
    expect(() => gatewayOptionsFromEnv({ GATEWAY_TRUSTED_PROXY_HOPS: 'one' }, defaultLimits)).toThrow(
      /GATEWAY_TRUSTED_PROXY_HOPS/,
    );
    expect(() => gatewayOptionsFromEnv({ NODE_ENV: 'production' }, defaultLimits)).toThrow(
      /THANKSTAR_FORWARDING_SECRET/,
    );
  });
});
