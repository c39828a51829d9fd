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
