import type { z } from 'zod';
import { defaultQueryLimits, type QueryLimits } from '../graphql/document-limits';
import { logLevels } from '../observability/logger';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../outbox/outbox-plan';
import { env, loadConfig } from './env-config';

/**
 * The depth, alias, cost, token and directive limits of a GraphQL document: one set of GATEWAY_
 * variables read by the gateway and by every subgraph (graphql/document-limits.ts reads them the
 * same way), so both tables show the same rows.
 */
export function queryLimitsShape(defaults: QueryLimits = defaultQueryLimits) {
  const limit = (fallback: number, description: string, min = 1) =>
    env.int(fallback, description, { min, max: 1_000_000_000 });
  return {
    GATEWAY_MAX_DEPTH: limit(defaults.maxDepth, 'Deepest selection a GraphQL document may have.'),
    GATEWAY_MAX_ALIASES: limit(defaults.maxAliases, 'Aliases a GraphQL document may use.', 0),
    GATEWAY_MAX_COST: limit(defaults.maxCost, 'Estimated cost of a GraphQL document (fields × list sizes).'),
    GATEWAY_MAX_TOKENS: limit(defaults.maxTokens, 'Tokens a GraphQL document may have (parser limit).'),
    GATEWAY_MAX_DIRECTIVES: limit(defaults.maxDirectives, 'Directives a GraphQL document may use.', 0),
  };
}

/**
 * Every variable libs/platform reads, for every service (bootstrapService, PlatformModule, the
 * database, Kafka, the outbox, auth, logs, tracing). A service's own variables are in its
 * src/config.ts; this table is in libs/platform/README.md (kept equal by platform-config.test.ts).
 */
export const platformConfigShape = {
  NODE_ENV: env.string('development', '`production` turns off introspection and requires the real secrets.'),
  HOST: env.string('127.0.0.1', 'Address the HTTP server listens on (`0.0.0.0` in a container).'),
  LOG_LEVEL: env.oneOf(logLevels, 'info', 'Lowest level written: trace, debug, info, warn, error, fatal or silent.'),
  PGHOST: env.string('127.0.0.1', 'PostgreSQL host (when `<SERVICE>_DATABASE_URL` is not set).'),
  PGPORT: env.port(5432, 'PostgreSQL port.'),
  PGUSER: env.string('postgres', 'PostgreSQL user.'),
  THANKSTAR_DB_SUFFIX: env.string('', 'Appended to each database name `thankstar_<service>` (tests: `_test`).'),
  TELEPHONY_DATABASE_URL: env.optionalString("Telephony's database URL; overrides the PG* variables."),
  CUSTOMERS_DATABASE_URL: env.optionalString("Customers' database URL; overrides the PG* variables."),
  BILLING_DATABASE_URL: env.optionalString("Billing's database URL; overrides the PG* variables."),
  LICENSING_DATABASE_URL: env.optionalString("Licensing's database URL; overrides the PG* variables."),
  DB_POOL_SIZE: env.int(10, 'Connections in the database pool of each instance.', { min: 1, max: 1000 }),
  MIGRATIONS_RUN: env.boolean(true, 'Run pending migrations at start (the Kubernetes Jobs run them instead).'),
  KAFKA_BROKERS: env.list(['127.0.0.1:9092'], 'Kafka bootstrap brokers, comma-separated.'),
  KAFKA_GROUP_PREFIX: env.string('thankstar', 'Prefix of every consumer group id.'),
  KAFKA_TOPIC_PREFIX: env.string('', 'Prefix of every topic name on the wire (throwaway stacks only).'),
  KAFKA_PARTITIONS_CONCURRENCY: env.int(6, 'Partitions a consumer handles at once.', { min: 1, max: 1000 }),
  KAFKA_COMMIT_INTERVAL_MS: env.int(
    1000,
    'How often a consumer commits the offsets it has handled (0: after every fetch; redelivery after a crash is at most this much).',
    { min: 0, max: 60_000 },
  ),
  OUTBOX_MAX_MESSAGE_BYTES: env.int(
    DEFAULT_MAX_MESSAGE_BYTES,
    'Largest event the outbox relay sends (bigger ones are parked).',
    {
      min: 1024,
    },
  ),
  JWKS_URL: env.url('http://127.0.0.1:4004/.well-known/jwks.json', "Licensing's public keys, to verify access tokens."),
  THANKSTAR_FORWARDING_SECRET: env.optionalString(
    "Proves the gateway's calls to the subgraphs (at least 32 characters; required in production).",
  ),
  ...queryLimitsShape(),
  OTEL_SDK_DISABLED: env.optionalString('`true` turns tracing off whatever else is set.'),
  OTEL_TRACES_EXPORTER: env.optionalString('`otlp`, `console` or `none`; unset: otlp when an endpoint is set.'),
  OTEL_EXPORTER_OTLP_ENDPOINT: env.optionalString('OTLP/HTTP collector base URL; setting it turns tracing on.'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: env.optionalString('OTLP/HTTP traces URL (instead of the base URL).'),
  OTEL_SERVICE_NAME: env.optionalString("The `service.name` of the spans (default: the app's name)."),
};

export type PlatformConfig = z.output<z.ZodObject<typeof platformConfigShape>>;

let cached: { key: string; config: PlatformConfig } | undefined;
const names = Object.keys(platformConfigShape);

/**
 * libs/platform's settings, validated (every bad variable named at once, ConfigError). Parsed once
 * and reused while the environment stays the same; a test that sets KAFKA_GROUP_PREFIX or
 * KAFKA_BROKERS before booting an instance gets the new values.
 */
export function platformConfig(source: Record<string, string | undefined> = process.env): PlatformConfig {
  const key = names.map((name) => source[name] ?? '\u0000').join('\u0001');
  if (source === process.env && cached?.key === key) return cached.config;
  const config = loadConfig('libs/platform', platformConfigShape, source);
  if (source === process.env) cached = { key, config };
  return config;
}
