import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, configTable } from './env-config';
import { platformConfig, platformConfigShape } from './platform-config';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('libs/platform configuration', () => {
  it('has the defaults of the code it replaced when nothing is set', () => {
    const config = platformConfig({});
    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      PGHOST: '127.0.0.1',
      PGPORT: 5432,
      PGUSER: 'postgres',
      THANKSTAR_DB_SUFFIX: '',
      DB_POOL_SIZE: 10,
      MIGRATIONS_RUN: true,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_GROUP_PREFIX: 'thankstar',
      KAFKA_TOPIC_PREFIX: '',
      KAFKA_PARTITIONS_CONCURRENCY: 6,
      KAFKA_COMMIT_INTERVAL_MS: 1000,
      OUTBOX_MAX_MESSAGE_BYTES: 1_000_000,
      JWKS_URL: 'http://127.0.0.1:4004/.well-known/jwks.json',
      GATEWAY_MAX_DEPTH: 10,
    });
    expect(config.TELEPHONY_DATABASE_URL).toBeUndefined();
  });

  it('reads what is set', () => {
    const config = platformConfig({
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      MIGRATIONS_RUN: 'false',
      LOG_LEVEL: 'debug',
      DB_POOL_SIZE: '25',
    });
    expect(config.KAFKA_BROKERS).toEqual(['k1:9092', 'k2:9092']);
    expect(config.MIGRATIONS_RUN).toBe(false);
    expect(config.LOG_LEVEL).toBe('debug');
    expect(config.DB_POOL_SIZE).toBe(25);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      platformConfig({ LOG_LEVEL: 'loud', DB_POOL_SIZE: 'ten', JWKS_URL: 'not a url' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['LOG_LEVEL', 'DB_POOL_SIZE', 'JWKS_URL']) expect(message).toContain(name);
  });

  it('sees a change of the environment (tests set KAFKA_GROUP_PREFIX before booting)', () => {
    const before = process.env.KAFKA_GROUP_PREFIX;
    try {
      process.env.KAFKA_GROUP_PREFIX = 'first';
      expect(platformConfig().KAFKA_GROUP_PREFIX).toBe('first');
      process.env.KAFKA_GROUP_PREFIX = 'second';
      expect(platformConfig().KAFKA_GROUP_PREFIX).toBe('second');
    } finally {
      if (before === undefined) delete process.env.KAFKA_GROUP_PREFIX;
      else process.env.KAFKA_GROUP_PREFIX = before;
    }
  });

  it('the README shows exactly the table of the shape', () => {
    expect(readme).toContain(configTable(platformConfigShape));
  });
});
