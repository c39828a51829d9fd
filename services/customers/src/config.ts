import { Global, Module } from '@nestjs/common';
import { env, loadConfig } from '@thankstar/platform';

/**
 * Every environment variable the customers service's own code reads, validated once when the app
 * module is created (a typo stops the start naming the variable). The variables libs/platform
 * reads (database, Kafka, auth, limits shared by every service) are the platform's. The README's
 * "Configuration" table is `configTable(configShape)` (src/config.test.ts keeps them equal).
 */
export const configShape = {
  PORT: env.port(4002, 'HTTP port: GraphQL, the CSV upload, /health.'),
  CUSTOMERS_POPUP_MAX_BYTES: env.int(
    256 * 1024,
    "A popup's size budget in bytes (its JSON); larger popups are shortened, never refused (src/popups/fit.ts).",
    { min: 8 * 1024 },
  ),
  CUSTOMERS_IMPORT_MAX_BYTES: env.int(200 * 1024 * 1024, 'Largest CSV upload in bytes (413 CSV_TOO_LARGE).', {
    min: 1,
  }),
  CUSTOMERS_IMPORT_SPOOL_DIR: env.optionalString(
    'Where an upload is written before it is processed; unset: the OS temp directory.',
  ),
  IMPORT_MAX_PER_TENANT: env.int(2, 'Live imports per tenant (uploading or processing); the next gets 429.', {
    min: 1,
  }),
  IMPORT_IDLE_TIMEOUT_MS: env.int(30_000, 'An upload with no byte for this long is cut (408 IMPORT_UPLOAD_TIMEOUT).', {
    min: 1,
  }),
  IMPORT_PROCESSING_SLOTS: env.int(2, 'Imports processed at once per replica (each holds one pooled connection).', {
    min: 1,
  }),
  IMPORT_HEARTBEAT_MS: env.int(10_000, "How often a running import refreshes its job's heartbeat between chunks.", {
    min: 1,
  }),
  IMPORT_STALE_AFTER_MS: env.int(120_000, 'A RUNNING job whose heartbeat is older is failed (IMPORT_INTERRUPTED).', {
    min: 1,
  }),
  IMPORT_SWEEP_INTERVAL_MS: env.int(60_000, 'How often each replica looks for dead imports.', { min: 1 }),
  WEBHOOK_ALLOWED_CIDRS: env.optionalString(
    'Ranges outbound webhooks may reach although not public (e.g. "127.0.0.1/32" in tests); unset: public addresses only.',
  ),
  WEBHOOK_TIMEOUT_MS: env.int(10_000, 'One webhook attempt is cut after this long (counted as a failure).', { min: 1 }),
  WEBHOOK_RETRY_BASE_MS: env.int(5_000, 'Wait before the first retry of a failed webhook; doubles at each retry.', {
    min: 1,
  }),
  WEBHOOK_RETRY_MAX_MS: env.int(3_600_000, 'Longest wait between two attempts of a webhook.', { min: 1 }),
  WEBHOOK_RETRY_FOR_MS: env.int(
    86_400_000,
    'A failing webhook is retried until its first attempt is this old, then given up.',
    { min: 1 },
  ),
  WEBHOOK_DISABLE_AFTER: env.int(5, 'Deliveries given up in a row after which an endpoint is disabled.', { min: 1 }),
  WEBHOOK_CONCURRENCY: env.int(16, 'Webhook requests in flight at once per replica.', { min: 1 }),
  WEBHOOK_CONCURRENCY_PER_ENDPOINT: env.int(4, 'Webhook requests in flight at once per endpoint.', { min: 1 }),
  WEBHOOK_POLL_MS: env.int(1_000, 'How often the webhook worker looks for due deliveries when nothing woke it.', {
    min: 1,
  }),
  WEBHOOK_MAX_ENDPOINTS: env.int(20, 'Webhook endpoints per tenant.', { min: 1 }),
  LOOKUP_TIMEOUT_MS: env.int(
    5_000,
    'A lookup source answering later than this is abandoned (the popup went out at its budget; a late answer updates it).',
    { min: 100, max: 60_000 },
  ),
  LOOKUP_CACHE_TTL_MS: env.int(30_000, "How long a source's answer for a number and line is reused (0: no cache).", {
    max: 600_000,
  }),
  LOOKUP_BREAKER_FAILURES: env.int(5, 'Failures in a row after which a lookup source is not asked for a while.', {
    min: 1,
  }),
  LOOKUP_BREAKER_OPEN_MS: env.int(30_000, 'How long a failing lookup source is not asked before one trial call.', {
    min: 100,
  }),
  LOOKUP_ALLOWED_CIDRS: env.optionalString(
    'Private or loopback ranges lookup sources may call anyway (e.g. "10.20.0.0/16" over a VPN; tests "127.0.0.1/32,::1").',
  ),
};

export type CustomersConfig = ReturnType<typeof loadCustomersConfig>;

/** The service's validated configuration, from the environment (or `source`). */
export const loadCustomersConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig('customers', configShape, source);

/** Injection token of the service's configuration: `@Inject(CONFIG) config: CustomersConfig`. */
export const CONFIG = Symbol('customers config');

/** Loads the configuration when the app module is created, so tests can set variables before that. */
@Global()
@Module({ providers: [{ provide: CONFIG, useFactory: () => loadCustomersConfig() }], exports: [CONFIG] })
export class ConfigModule {}
