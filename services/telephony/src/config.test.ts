import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, configTable, loadConfig } from '@thankstar/platform';
import { describe, expect, it } from 'vitest';
import { configShape, loadTelephonyConfig, rekeyConfigShape, simulatorConfigShape } from './config';

const readme = readFileSync(join(__dirname, '../README.md'), 'utf8');

describe('telephony configuration', () => {
  it('starts with an empty environment: every variable has its default', () => {
    expect(loadTelephonyConfig({})).toEqual({
      PORT: 4001,
      TWILIO_PUBLIC_URL: undefined,
      SIP_LISTENER: false,
      SIP_BIND_HOST: undefined,
      SIP_ADVERTISE_HOST: undefined,
      SIP_BIND_PORT: 0,
      SIP_BIND_PORTS: 10,
      SIP_ALLOWED_CONTACT_CIDRS: undefined,
      TELEPHONY_KEY_CACHE_MS: 5_000,
      TELEPHONY_UNKNOWN_KEY_CACHE_MS: 30_000,
      TELEPHONY_WRITE_BATCH: 500,
      TELEPHONY_RATE_LIMIT_BURST: 500,
      TELEPHONY_RATE_LIMIT_PER_SECOND: 200,
    });
    expect(loadConfig('telephony simulator', simulatorConfigShape, {})).toEqual({
      PORT: 4001,
      STACK_NODE_ARGS: undefined,
    });
  });

  it('reads what the tests and the benchmark set', () => {
    expect(
      loadTelephonyConfig({
        SIP_LISTENER: 'on',
        SIP_ALLOWED_CONTACT_CIDRS: '127.0.0.1/32, 10.20.0.0/16',
        TELEPHONY_RATE_LIMIT_PER_SECOND: '0.01',
        TELEPHONY_RATE_LIMIT_BURST: '1000000000',
      }),
    ).toMatchObject({
      SIP_LISTENER: true,
      SIP_ALLOWED_CONTACT_CIDRS: '127.0.0.1/32, 10.20.0.0/16',
      TELEPHONY_RATE_LIMIT_PER_SECOND: 0.01,
      TELEPHONY_RATE_LIMIT_BURST: 1_000_000_000,
    });
    expect(loadTelephonyConfig({ SIP_LISTENER: 'off' }).SIP_LISTENER).toBe(false);
  });

  it('names every bad variable at start', () => {
    let problems: string[] = [];
    try {
      loadTelephonyConfig({ TELEPHONY_WRITE_BATCH: '0', SIP_ALLOWED_CONTACT_CIDRS: '10.0.0.0/99', PORT: 'http' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'PORT',
      'SIP_ALLOWED_CONTACT_CIDRS',
      'TELEPHONY_WRITE_BATCH',
    ]);
  });

  it('the rekey tool needs both keys', () => {
    expect(() => loadConfig('telephony rekey', rekeyConfigShape, {})).toThrow(/TELEPHONY_SECRET_KEY_OLD/);
    expect(
      loadConfig('telephony rekey', rekeyConfigShape, { TELEPHONY_SECRET_KEY_OLD: 'a', TELEPHONY_SECRET_KEY_NEW: 'b' }),
    ).toEqual({
      TELEPHONY_SECRET_KEY_OLD: 'a',
      TELEPHONY_SECRET_KEY_NEW: 'b',
    });
  });

  it('the README shows exactly the tables of the shapes', () => {
    expect(readme).toContain(configTable(configShape));
    expect(readme).toContain(configTable(rekeyConfigShape));
    expect(readme).toContain(configTable(simulatorConfigShape));
  });
});
