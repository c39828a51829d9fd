import type { LoggerService } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import { currentLogContext } from './log-context';
import { REDACTED, redactForLog, redactText } from './redact';

/**
 * Structured JSON logs (pino), one line per entry: `level` (a word), `time` (ISO), `service`,
 * the request's or event's context (tenant, call, event, topic, trace id; log-context.ts), the
 * message, and for errors `err` with its stack. Secrets and phone numbers never reach a line:
 * pino's redact paths cover the usual headers and token fields, and every line goes through
 * redact.ts's rules at any depth (docs/security.md).
 */
export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Where pino masks by path (fast, before serialization); redact.ts catches the rest by key and text. */
export const redactPaths = [
  'authorization',
  'cookie',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.headers.authorization',
  '*.headers.cookie',
];

export interface CreateLoggerOptions {
  service: string;
  level?: LogLevel;
  /** Default stdout; tests pass a stream to read the lines. */
  destination?: DestinationStream;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      redact: { paths: redactPaths, censor: REDACTED },
      // Errors are serialized (stack included, text masked) by redactForLog below, before pino's
      // own serializer would see them.
      serializers: { err: (value: unknown) => value },
      formatters: {
        level: (label) => ({ level: label }),
        // redact.ts's rules at any depth; an Error keeps its (masked) stack.
        log: (object) => redactForLog(object) as Record<string, unknown>,
      },
      // The line's context: what the request or event handler put in the log context, and the
      // trace id of the active span where there is one but no context (a consumer's span).
      mixin: () => {
        const { traceparent: _traceparent, ...fields } = currentLogContext();
        if (fields.traceId) return fields;
        const span = trace.getActiveSpan();
        return span?.isRecording() ? { ...fields, traceId: span.spanContext().traceId } : fields;
      },
      hooks: {
        // Free-text messages are masked too (a bearer token or a number in an error message).
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>;
          return method.apply(this, masked);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

let processLogger: Logger | undefined;

/**
 * This process's logger. bootstrapService and the gateway set it at start (`useProcessLogger`);
 * before that (tests, tools) it is made on first use with LOG_LEVEL from the environment.
 */
export function rootLogger(): Logger {
  // A bad LOG_LEVEL is reported by the configuration check; the line that reports it still needs a logger.
  const level = (() => {
    try {
      return logLevelFromEnv();
    } catch {
      return 'info';
    }
  })();
  processLogger ??= createLogger({ service: 'thankstar', level });
  return processLogger;
}

export function useProcessLogger(logger: Logger): Logger {
  processLogger = logger;
  return logger;
}

/** LOG_LEVEL, or `info`; an unknown word stops the process naming the variable. */
export function logLevelFromEnv(env: Record<string, string | undefined> = process.env): LogLevel {
  const raw = (env.LOG_LEVEL ?? '').trim().toLowerCase();
  if (raw === '') return 'info';
  if ((logLevels as readonly string[]).includes(raw)) return raw as LogLevel;
  throw new Error(`LOG_LEVEL must be one of ${logLevels.join(', ')}; got "${env.LOG_LEVEL}"`);
}

type Method = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
const stackLike = /^[^\n]*\n\s+at .+/;

/**
 * Nest's LoggerService on the pino logger: Nest's own lines and every `new Logger(ctx)` inside a
 * service (NestFactory's `logger` option overrides Nest's static logger) go to the same lines.
 * Nest calls `error(message, stack?, context?)` and the others `(message, context?)`.
 */
export class JsonLogger implements LoggerService {
  readonly pino: Logger;

  constructor(serviceOrLogger: string | Logger) {
    this.pino =
      typeof serviceOrLogger === 'string'
        ? createLogger({ service: serviceOrLogger, level: logLevelFromEnv() })
        : serviceOrLogger;
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Method, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    const last = rest[rest.length - 1];
    // The last string is Nest's context, unless it is the stack of an error logged without one.
    if (typeof last === 'string' && !(rest.length === 1 && stackLike.test(last))) {
      fields.context = last;
      rest.pop();
    }
    for (const extra of rest) {
      if (typeof extra === 'string' && stackLike.test(extra)) fields.stack = extra;
      else if (extra instanceof Error) fields.err = extra;
      else if (extra !== undefined) fields.extra = extra;
    }
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      const { msg, message: text, ...object } = message as Record<string, unknown>;
      const line = typeof msg === 'string' ? msg : typeof text === 'string' ? text : undefined;
      this.pino[level]({ ...object, ...fields }, line);
    } else {
      this.pino[level](fields, String(message));
    }
  }
}
