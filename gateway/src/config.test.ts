import { readFileSync } from 'node:fs';
import { configTable } from '@thankstar/platform';
import { describe, expect, it } from 'vitest';
import { gatewayConfigShape, gatewayLimitsFromEnv, gatewayOptionsFromEnv } from './config';
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

  it('names every bad variable at once, the subgraph URLs too', () => {
    expect(() =>
      gatewayOptionsFromEnv({ PORT: '70000', TELEPHONY_URL: 'telephony:4001', LOG_LEVEL: 'loud' }, defaultLimits),
    ).toThrow(/PORT[\s\S]*TELEPHONY_URL|TELEPHONY_URL[\s\S]*PORT/);
    expect(
      gatewayOptionsFromEnv({ TELEPHONY_URL: 'http://telephony:4001/graphql' }, defaultLimits).subgraphUrls,
    ).toEqual({
      telephony: 'http://telephony:4001/graphql',
      customers: 'http://127.0.0.1:4002/graphql',
      billing: 'http://127.0.0.1:4003/graphql',
      licensing: 'http://127.0.0.1:4004/graphql',
    });
  });

  it('the README shows exactly the table of the shape', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(configTable(gatewayConfigShape));
  });
});
