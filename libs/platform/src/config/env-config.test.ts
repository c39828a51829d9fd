import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, configTable, env, loadConfig } from './env-config';

const shape = {
  PORT: env.port(4003, 'HTTP port.'),
  GRACE_MS: env.int(120_000, 'Grace after the month end.', { min: 0, max: 3_600_000 }),
  RATIO: env.number(0.5, 'A ratio.', { min: 0, max: 1 }),
  MODE: env.oneOf(['on', 'off'] as const, 'on', 'Scheduler.'),
  FLAG: env.boolean(false, 'A switch.'),
  BROKERS: env.list(['127.0.0.1:9092'], 'Kafka brokers.'),
  URL: env.url('http://127.0.0.1:4004', 'Licensing.'),
  SECRET: env.optionalString('A secret | with a pipe.'),
};

describe('loadConfig: one schema per app, validated at start', () => {
  it('takes the defaults when variables are unset or blank', () => {
    expect(loadConfig('t', shape, { GRACE_MS: '  ', MODE: '' })).toEqual({
      PORT: 4003,
      GRACE_MS: 120_000,
      RATIO: 0.5,
      MODE: 'on',
      FLAG: false,
      BROKERS: ['127.0.0.1:9092'],
      URL: 'http://127.0.0.1:4004',
      SECRET: undefined,
    });
  });

  it('parses the values given', () => {
    const c = loadConfig('t', shape, {
      PORT: '8080',
      GRACE_MS: '0',
      RATIO: '0.25',
      MODE: 'off',
      FLAG: 'yes',
      BROKERS: 'a:1, b:2,,',
      URL: 'https://licensing.internal',
      SECRET: 's',
    });
    expect(c).toMatchObject({ PORT: 8080, GRACE_MS: 0, RATIO: 0.25, MODE: 'off', FLAG: true, BROKERS: ['a:1', 'b:2'] });
  });

  it('names every wrong variable and the value given, instead of a silent NaN', () => {
    let error: unknown;
    try {
      loadConfig('billing', shape, { PORT: '80a', GRACE_MS: '-1', FLAG: 'maybe', MODE: 'sometimes', URL: 'ftp://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'GRACE_MS', 'FLAG', 'MODE', 'URL']) expect(problems).toContain(name);
    expect(problems).toContain('(got "80a")');
    expect((error as ConfigError).message).toMatch(/^billing: invalid configuration/);
  });

  it('accepts every whole number in range and refuses every other string', () => {
    const one = { N: env.int(1, 'n', { min: 0, max: 1000 }) };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (n) => {
        expect(loadConfig('t', one, { N: String(n) }).N).toBe(n);
      }),
    );
    fc.assert(
      fc.property(
        fc.string().filter((s) => s.trim() !== '' && !/^\s*\d+(\.0*)?\s*$/.test(s) && !/^\s*0x[0-9a-f]+\s*$/i.test(s)),
        (s) => {
          const parsed = Number(s);
          fc.pre(!(Number.isInteger(parsed) && parsed >= 0 && parsed <= 1000));
          expect(() => loadConfig('t', one, { N: s })).toThrow(ConfigError);
        },
      ),
    );
  });

  it('documents every variable with its default for the README', () => {
    const table = configTable(shape);
    expect(table.split('\n')).toHaveLength(2 + Object.keys(shape).length);
    expect(table).toContain('| `GRACE_MS` | `120000` | Grace after the month end. |');
    expect(table).toContain('| `BROKERS` | `127.0.0.1:9092` | Kafka brokers. |');
    expect(table).toContain('| `SECRET` | — | A secret \\| with a pipe. |');
  });
});
