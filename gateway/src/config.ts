import { randomUUID } from 'node:crypto';
import { env, forwardingSecretFromEnv, loadConfig, platformConfigShape, queryLimitsShape } from '@thankstar/platform';
import type { GatewayLimits, GatewayOptions } from './server';
import { defaultLimits } from './server';

type Env = Record<string, string | undefined>;

type Rate = GatewayLimits['rateLimits']['user'];
const burst = (fallback: Rate, who: string) =>
  env.int(fallback.burst, `Requests ${who} may make at once (token bucket size).`, { min: 1, max: 1_000_000_000 });
const perSecond = (fallback: Rate, who: string) =>
  env.number(fallback.perSecond, `Requests per second ${who} may make after that.`, { min: 0.001, max: 1_000_000 });

/** The limits' variables (docs/security.md explains each), with `defaults` as their defaults. */
export function gatewayLimitsShape(defaults: GatewayLimits) {
  const limit = (fallback: number, description: string, min = 1) =>
    env.int(fallback, description, { min, max: 1_000_000_000 });
  return {
    GATEWAY_MAX_BODY_BYTES: limit(defaults.maxBodyBytes, 'Largest HTTP request body.'),
    GATEWAY_RATE_USER_BURST: burst(defaults.rateLimits.user, 'one user'),
    GATEWAY_RATE_USER_PER_SECOND: perSecond(defaults.rateLimits.user, 'one user'),
    GATEWAY_RATE_TENANT_BURST: burst(defaults.rateLimits.tenant, 'one tenant'),
    GATEWAY_RATE_TENANT_PER_SECOND: perSecond(defaults.rateLimits.tenant, 'one tenant'),
    GATEWAY_RATE_ANONYMOUS_BURST: burst(defaults.rateLimits.anonymous, 'one client address without a token'),
    GATEWAY_RATE_ANONYMOUS_PER_SECOND: perSecond(defaults.rateLimits.anonymous, 'one client address without a token'),
    GATEWAY_RATE_REFRESH_BURST: burst(defaults.rateLimits.refresh, 'one client refreshing its token'),
    GATEWAY_RATE_REFRESH_PER_SECOND: perSecond(defaults.rateLimits.refresh, 'one client refreshing its token'),
    // Depth, aliases, cost, tokens, directives: libs/platform's rows, shared with the subgraphs.
    ...queryLimitsShape(defaults),
    GATEWAY_MAX_SOCKET_MESSAGE_BYTES: limit(defaults.maxSocketMessageBytes, 'Largest graphql-ws message.', 1024),
    GATEWAY_MAX_SUBSCRIPTIONS_PER_SOCKET: limit(
      defaults.maxSubscriptionsPerSocket,
      'Subscriptions one socket may run.',
    ),
  };
}

/**
 * Every variable the gateway reads, with libs/platform's that it uses (LOG_LEVEL, KAFKA_*,
 * JWKS_URL, the forwarding secret, OTEL_*). gateway/README.md shows `configTable` of it.
 */
export const gatewayConfigShape = {
  PORT: env.port(4000, 'HTTP and graphql-ws port.'),
  HOST: platformConfigShape.HOST,
  NODE_ENV: platformConfigShape.NODE_ENV,
  LOG_LEVEL: platformConfigShape.LOG_LEVEL,
  GATEWAY_INSTANCE_ID: env.optionalString("Names this instance's consumer groups (default: random)."),
  TELEPHONY_URL: env.url('http://127.0.0.1:4001/graphql', "Telephony's subgraph."),
  CUSTOMERS_URL: env.url('http://127.0.0.1:4002/graphql', "Customers' subgraph."),
  BILLING_URL: env.url('http://127.0.0.1:4003/graphql', "Billing's subgraph."),
  LICENSING_URL: env.url('http://127.0.0.1:4004/graphql', "Licensing's subgraph."),
  LICENSING_HTTP_URL: env.url('http://127.0.0.1:4004', "Licensing's HTTP base URL (concurrent-connection leases)."),
  JWKS_URL: platformConfigShape.JWKS_URL,
  KAFKA_BROKERS: platformConfigShape.KAFKA_BROKERS,
  KAFKA_GROUP_PREFIX: platformConfigShape.KAFKA_GROUP_PREFIX,
  KAFKA_TOPIC_PREFIX: platformConfigShape.KAFKA_TOPIC_PREFIX,
  GATEWAY_TRUSTED_PROXY_HOPS: env.int(0, 'Our proxies in front of the gateway; 0 trusts no X-Forwarded-For.', {
    max: 10,
  }),
  THANKSTAR_FORWARDING_SECRET: platformConfigShape.THANKSTAR_FORWARDING_SECRET,
  ...gatewayLimitsShape(defaultLimits),
  OTEL_SDK_DISABLED: platformConfigShape.OTEL_SDK_DISABLED,
  OTEL_TRACES_EXPORTER: platformConfigShape.OTEL_TRACES_EXPORTER,
  OTEL_EXPORTER_OTLP_ENDPOINT: platformConfigShape.OTEL_EXPORTER_OTLP_ENDPOINT,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: platformConfigShape.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  OTEL_SERVICE_NAME: platformConfigShape.OTEL_SERVICE_NAME,
};

/**
 * The limits set in the environment (docs/security.md lists each with its default); unset ones
 * keep `defaults`. A bad value stops the gateway naming the variable (ConfigError).
 */
export function gatewayLimitsFromEnv(source: Env, defaults: GatewayLimits): GatewayLimits {
  const c = loadConfig('gateway', gatewayLimitsShape(defaults), source);
  return {
    ...defaults,
    maxBodyBytes: c.GATEWAY_MAX_BODY_BYTES,
    rateLimits: {
      user: { burst: c.GATEWAY_RATE_USER_BURST, perSecond: c.GATEWAY_RATE_USER_PER_SECOND },
      tenant: { burst: c.GATEWAY_RATE_TENANT_BURST, perSecond: c.GATEWAY_RATE_TENANT_PER_SECOND },
      anonymous: { burst: c.GATEWAY_RATE_ANONYMOUS_BURST, perSecond: c.GATEWAY_RATE_ANONYMOUS_PER_SECOND },
      refresh: { burst: c.GATEWAY_RATE_REFRESH_BURST, perSecond: c.GATEWAY_RATE_REFRESH_PER_SECOND },
    },
    maxDepth: c.GATEWAY_MAX_DEPTH,
    maxAliases: c.GATEWAY_MAX_ALIASES,
    maxCost: c.GATEWAY_MAX_COST,
    maxTokens: c.GATEWAY_MAX_TOKENS,
    maxDirectives: c.GATEWAY_MAX_DIRECTIVES,
    maxSocketMessageBytes: c.GATEWAY_MAX_SOCKET_MESSAGE_BYTES,
    maxSubscriptionsPerSocket: c.GATEWAY_MAX_SUBSCRIPTIONS_PER_SOCKET,
  };
}

/** The gateway's settings from its environment (see docs/conventions.md for the ports). */
export function gatewayOptionsFromEnv(source: Env, defaults: GatewayLimits): GatewayOptions {
  // Every variable checked at once (each bad one named); the limits are read again with `defaults`.
  const c = loadConfig('gateway', gatewayConfigShape, source);
  return {
    port: c.PORT,
    host: c.HOST,
    instanceId: c.GATEWAY_INSTANCE_ID ?? randomUUID().slice(0, 8),
    subgraphUrls: {
      telephony: c.TELEPHONY_URL,
      customers: c.CUSTOMERS_URL,
      billing: c.BILLING_URL,
      licensing: c.LICENSING_URL,
    },
    jwksUrl: c.JWKS_URL,
    licensingHttpUrl: c.LICENSING_HTTP_URL,
    kafkaBrokers: c.KAFKA_BROKERS,
    introspection: c.NODE_ENV !== 'production',
    trustedProxyHops: c.GATEWAY_TRUSTED_PROXY_HOPS,
    // At least 32 characters, and required in production: the rule lives with the secret's users.
    forwardingSecret: forwardingSecretFromEnv(source),
    limits: gatewayLimitsFromEnv(source, defaults),
  };
}
