import { Logger } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { withLogContext } from './log-context';
import { createLogger, JsonLogger, type LogLevel, logLevelFromEnv } from './logger';
import { REDACTED } from './redact';

/** A logger whose lines land in an array (pino's destination stream), parsed. */
function capture(level: LogLevel = 'info') {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const logger = createLogger({
    service: 'telephony',
    level,
    destination: {
      write: (line: string) => {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  });
  return { logger, lines, raw };
}

describe('the JSON logger', () => {
  it('writes what the level lets through and nothing below it', () => {
    const { logger, lines } = capture('warn');
    logger.debug('not this');
    logger.info('nor this');
    logger.warn('this');
    logger.error('and this');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'this'],
      ['error', 'and this'],
    ]);
    expect(lines[0]).toMatchObject({ service: 'telephony' });
    expect(Date.parse(String(lines[0]?.time))).not.toBeNaN();

    const trace = capture('trace');
    trace.logger.trace('lowest');
    expect(trace.lines.map((l) => l.level)).toEqual(['trace']);
    const silent = capture('silent');
    silent.logger.fatal('nothing at all');
    expect(silent.lines).toEqual([]);
  });

  it('reads LOG_LEVEL and refuses a word it does not know', () => {
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(logLevelFromEnv({ LOG_LEVEL: 'silent' })).toBe('silent');
    expect(() => logLevelFromEnv({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/);
  });

  it('keeps the stack of an error, through pino and through Nest (error(message, stack, context))', () => {
    const { logger, lines } = capture();
    const err = new Error('database is away');
    logger.error({ err }, 'relay failed');
    expect(lines[0]?.msg).toBe('relay failed');
    const logged = lines[0]?.err as { message: string; stack: string; type: string };
    expect(logged.type).toBe('Error');
    expect(logged.message).toBe('database is away');
    expect(logged.stack).toContain('logger.test.ts');

    const nest = new JsonLogger(logger);
    nest.error('outbox relay stopped', err.stack, 'OutboxRelay');
    expect(lines[1]).toMatchObject({ level: 'error', msg: 'outbox relay stopped', context: 'OutboxRelay' });
    expect(String(lines[1]?.stack)).toContain('database is away\n    at ');
    nest.error(err);
    expect(String((lines[2]?.err as { stack?: string } | undefined)?.stack)).toContain('logger.test.ts');
  });

  it('puts the trace id (and the tenant, call) of the log context on every line, never the traceparent', () => {
    const { logger, lines } = capture();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    withLogContext(
      { traceId, traceparent: `00-${traceId}-00f067aa0ba902b7-01`, tenantId: 't-1', callId: 'c-1' },
      () => {
        logger.info('popup sent');
        new JsonLogger(logger).warn('slow lookup', 'PopupsService');
      },
    );
    logger.info('outside any request');
    expect(lines[0]).toMatchObject({ traceId, tenantId: 't-1', callId: 'c-1', msg: 'popup sent' });
    expect(lines[1]).toMatchObject({ traceId, context: 'PopupsService', level: 'warn' });
    expect(lines[0]).not.toHaveProperty('traceparent');
    expect(lines[2]).not.toHaveProperty('traceId');
  });

  it('masks an Authorization header, a password and phone numbers, in fields and in text', () => {
    const { logger, lines, raw } = capture();
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2ln';
    logger.info(
      {
        req: { method: 'POST', headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' } },
        user: { email: 'a@example.jp', password: 'hunter2' },
        event: { callerNumber: '+81 90 1234 5678', callId: 'c-9' },
      },
      'webhook from +81-90-1234-5678 about 03-1234-5678 and 09012345678',
    );
    const line = lines[0] as {
      req: { headers: Record<string, string> };
      user: Record<string, string>;
      event: Record<string, string>;
      msg: string;
    };
    expect(line.req.headers.authorization).toBe(REDACTED);
    expect(line.req.headers['content-type']).toBe('application/json');
    expect(line.user).toEqual({ email: 'a@example.jp', password: REDACTED });
    expect(line.event).toEqual({ callerNumber: REDACTED, callId: 'c-9' });
    expect(line.msg).toBe(`webhook from ${REDACTED} about ${REDACTED} and ${REDACTED}`);
    for (const secret of [jwt, 'hunter2', '1234 5678', '1234-5678', '09012345678']) {
      expect(raw[0]).not.toContain(secret);
    }

    // The same through Nest's Logger: a message with a bearer token and a number inside.
    const nest = new JsonLogger(logger);
    Logger.overrideLogger(nest);
    new Logger('AuthGuard').warn(`refused Bearer ${jwt} from 090-1234-5678`);
    Logger.overrideLogger(false);
    expect(lines[1]).toMatchObject({ context: 'AuthGuard', msg: `refused ${REDACTED} from ${REDACTED}` });
  });

  it('leaves ids, offsets and times alone', () => {
    const { logger, lines } = capture();
    const text =
      'event 0b6f3c1e-2d4a-4c8e-9f1a-0123456789ab offset 01234567890123 at 2026-01-05T09:00:00Z trace 0af7651916cd43dd8448eb211c80319c';
    logger.info(text);
    expect(lines[0]?.msg).toBe(text);
  });
});
