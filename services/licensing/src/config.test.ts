import { readFileSync } from 'node:fs';
import { configTable } from '@thankstar/platform';
import { describe, expect, it } from 'vitest';
import { configShape, loadLicensingConfig } from './config';

describe('licensing configuration', () => {
  it('starts with an empty environment (every variable has a default)', () => {
    const config = loadLicensingConfig({});
    expect(config.PORT).toBe(4004);
    expect(config.LEASE_TTL_SECONDS).toBe(45);
    expect(config.SMTP_URL).toBeUndefined();
  });

  it('names a bad variable instead of starting with NaN', () => {
    expect(() => loadLicensingConfig({ LEASE_TTL_SECONDS: 'soon' })).toThrow(/LEASE_TTL_SECONDS/);
  });

  it('is documented in the README exactly as configTable prints it', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(configTable(configShape));
  });
});
