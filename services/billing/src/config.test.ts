import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, configTable, loadConfig } from '@thankstar/platform';
import { describe, expect, it } from 'vitest';
import { configShape } from './config';
import { issuerFrom } from './invoicing/issuer';

describe('billing configuration', () => {
  it('accepts an empty environment: every variable has its default', () => {
    const config = loadConfig('billing', configShape, {});
    expect(config).toMatchObject({
      PORT: 4003,
      BILLING_SCHEDULER: true,
      BILLING_CLOSE_GRACE_MS: 120_000,
      BILLING_RATING_BATCH: 2_000,
      BILLING_TAX_ROUNDING: 'down',
    });
    expect(config.BILLING_PDF_FONT).toBeUndefined();
    expect(issuerFrom(config)).toEqual({
      name: 'サンクスター株式会社',
      registrationNumber: 'T1234567890123',
      taxRounding: 'down',
      taxRatePercent: 10,
    });
  });

  it('names each bad variable at start', () => {
    expect(() =>
      loadConfig('billing', configShape, { BILLING_CLOSE_GRACE_MS: '2 minutes', BILLING_TAX_ROUNDING: 'up' }),
    ).toThrow(ConfigError);
    expect(loadConfig('billing', configShape, { BILLING_SCHEDULER: 'off' }).BILLING_SCHEDULER).toBe(false);
    expect(() =>
      issuerFrom(loadConfig('billing', configShape, { BILLING_ISSUER_REGISTRATION_NUMBER: 'T123' })),
    ).toThrow(/T followed by 13 digits/);
  });

  it('the README lists exactly configTable(configShape)', () => {
    const readme = readFileSync(join(__dirname, '../README.md'), 'utf8');
    expect(readme).toContain(configTable(configShape));
  });
});
