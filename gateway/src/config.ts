import { randomUUID } from 'node:crypto';
import { jwksUrlFromEnv, kafkaBrokersFromEnv } from '@thankstar/platform';
import type { GatewayOptions } from './server';

/** The gateway's settings from its environment (see docs/conventions.md for the ports). */
export function gatewayOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayOptions {
  return {
    port: Number(env.PORT ?? 4000),
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
  };
}
