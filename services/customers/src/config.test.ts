import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configTable, loadConfig } from '@thankstar/platform';
import { describe, expect, it } from 'vitest';
import { configShape } from './config';

describe('customers configuration', () => {
  it('starts on an empty environment with every default', () => {
    expect(loadConfig('customers', configShape, {})).toEqual({
      PORT: 4002,
      CUSTOMERS_POPUP_MAX_BYTES: 256 * 1024,
      CUSTOMERS_IMPORT_MAX_BYTES: 200 * 1024 * 1024,
      CUSTOMERS_IMPORT_SPOOL_DIR: undefined,
      IMPORT_MAX_PER_TENANT: 2,
      IMPORT_IDLE_TIMEOUT_MS: 30_000,
      IMPORT_PROCESSING_SLOTS: 2,
      IMPORT_HEARTBEAT_MS: 10_000,
      IMPORT_STALE_AFTER_MS: 120_000,
      IMPORT_SWEEP_INTERVAL_MS: 60_000,
      WEBHOOK_ALLOWED_CIDRS: undefined,
      WEBHOOK_TIMEOUT_MS: 10_000,
      WEBHOOK_RETRY_BASE_MS: 5_000,
      WEBHOOK_RETRY_MAX_MS: 3_600_000,
      WEBHOOK_RETRY_FOR_MS: 86_400_000,
      WEBHOOK_DISABLE_AFTER: 5,
      WEBHOOK_CONCURRENCY: 16,
      WEBHOOK_CONCURRENCY_PER_ENDPOINT: 4,
      WEBHOOK_POLL_MS: 1_000,
      WEBHOOK_MAX_ENDPOINTS: 20,
      LOOKUP_TIMEOUT_MS: 5_000,
      LOOKUP_CACHE_TTL_MS: 30_000,
      LOOKUP_BREAKER_FAILURES: 5,
      LOOKUP_BREAKER_OPEN_MS: 30_000,
      LOOKUP_ALLOWED_CIDRS: undefined,
    });
  });

  it('refuses a popup budget under 8 KB, naming the variable', () => {
    expect(() => loadConfig('customers', configShape, { CUSTOMERS_POPUP_MAX_BYTES: '1000' })).toThrow(
      /CUSTOMERS_POPUP_MAX_BYTES/,
    );
  });

  it("is documented in the README by exactly the schema's table", () => {
    const readme = readFileSync(join(__dirname, '../README.md'), 'utf8');
    expect(readme).toContain(configTable(configShape));
  });
});
