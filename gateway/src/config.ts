import { randomUUID } from 'node:crypto';
import { forwardingSecretFromEnv, jwksUrlFromEnv, kafkaBrokersFromEnv, queryLimitsFromEnv } from '@thankstar/platform';
import type { GatewayLimits, GatewayOptions } from './server';

type Env = Record<string, string | undefined>;

/** A number from the environment, or the default; anything else stops the gateway naming the variable. */
function numberFromEnv(env: Env, name: string, fallback: number, { min = 0, max = 1e9, integer = true } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || (integer && !Number.isSafeInteger(value)) || value < min || value > max) {
    throw new Error(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}; got "${raw}"`);
  }
  return value;
}

/**
 * The limits set in the environment (docs/security.md lists each with its default); unset ones
 * keep the defaults of server.ts.
 */
export function gatewayLimitsFromEnv(env: Env, defaults: GatewayLimits): GatewayLimits {
  const int = (name: string, fallback: number, min = 1) => numberFromEnv(env, name, fallback, { min });
  const rate = (name: string, fallback: GatewayLimits['rateLimits']['user']) => ({
    burst: int(`GATEWAY_RATE_${name}_BURST`, fallback.burst),
    perSecond: numberFromEnv(env, `GATEWAY_RATE_${name}_PER_SECOND`, fallback.perSecond, {
      min: 0.001,
      max: 1e6,
      integer: false,
    }),
  });
  return {
    ...defaults,
    maxBodyBytes: int('GATEWAY_MAX_BODY_BYTES', defaults.maxBodyBytes),
    rateLimits: {
      user: rate('USER', defaults.rateLimits.user),
      tenant: rate('TENANT', defaults.rateLimits.tenant),
      anonymous: rate('ANONYMOUS', defaults.rateLimits.anonymous),
      refresh: rate('REFRESH', defaults.rateLimits.refresh),
    },
    // Depth, aliases, cost, tokens, directives: read by libs/platform, which the subgraphs also use.
    ...queryLimitsFromEnv(env, defaults),
    maxSocketMessageBytes: int('GATEWAY_MAX_SOCKET_MESSAGE_BYTES', defaults.maxSocketMessageBytes, 1024),
    maxSubscriptionsPerSocket: int('GATEWAY_MAX_SUBSCRIPTIONS_PER_SOCKET', defaults.maxSubscriptionsPerSocket),
  };
}

/** The gateway's settings from its environment (see docs/conventions.md for the ports). */
export function gatewayOptionsFromEnv(env: NodeJS.ProcessEnv, defaults: GatewayLimits): GatewayOptions {
  return {
    port: numberFromEnv(env, 'PORT', 4000, { max: 65_535 }),
    host: env.HOST ?? '127.0.0.1',
    instanceId: env.GATEWAY_INSTANCE_ID ?? randomUUID().slice(0, 8),
    subgraphUrls: {
      telephony: env.TELEPHONY_URL ?? 'http://127.0.0.1:4001/graphql',
      customers: env.CUSTOMERS_URL ?? 'http://127.0.0.1:4002/graphql',
      billing: env.BILLING_URL ?? 'http://127.0.0.1:4003/graphql',
      licensing: env.LICENSING_URL ?? 'http://127.0.0.1:4004/graphql',
    },
    jwksUrl: jwksUrlFromEnv(),
    licensingHttpUrl: env.LICENSING_HTTP_URL ?? 'http://127.0.0.1:4004',
    kafkaBrokers: kafkaBrokersFromEnv(),
    introspection: env.NODE_ENV !== 'production',
    trustedProxyHops: numberFromEnv(env, 'GATEWAY_TRUSTED_PROXY_HOPS', 0, { max: 10 }),
    forwardingSecret: forwardingSecretFromEnv(env),
    limits: gatewayLimitsFromEnv(env, defaults),
  };
}
