import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { currentLogContext } from '../observability/log-context';
import { httpMetricsMiddleware } from '../observability/metrics';
import { redact } from '../observability/redact';

/** Structured JSON logs, one line per entry, with the tenant/call/trace in context and secrets redacted. */
export class JsonLogger implements LoggerService {
  constructor(private readonly service: string) {}
  private write(level: string, message: unknown, context?: unknown): void {
    const line = {
      level,
      time: new Date().toISOString(),
      service: this.service,
      ...currentLogContext(),
      traceparent: undefined,
      context,
      msg: redact(message),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
  log(message: unknown, context?: unknown): void {
    this.write('info', message, context);
  }
  error(message: unknown, _trace?: unknown, context?: unknown): void {
    this.write('error', message, context);
  }
  warn(message: unknown, context?: unknown): void {
    this.write('warn', message, context);
  }
}

export interface BootstrapOptions {
  service: string;
  port: number;
  /** Keep the raw request body (signed webhooks verify it byte for byte). */
  rawBody?: boolean;
  /**
   * Express middleware to install before the body parsers: checks that must not pay for parsing
   * a body first (telephony refuses an unknown webhook key before reading 256 KB of JSON).
   */
  beforeBodyParsers?: (app: NestExpressApplication) => void;
}

// biome-ignore lint/suspicious/noExplicitAny: Nest's module type
export async function bootstrapService(appModule: any, options: BootstrapOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(appModule, {
    logger: process.env.LOG_LEVEL === 'silent' ? false : new JsonLogger(options.service),
    rawBody: options.rawBody ?? false,
    bodyParser: true,
  });
  options.beforeBodyParsers?.(app);
  app.useBodyParser('json', { limit: '256kb' });
  app.useBodyParser('urlencoded', { limit: '64kb', extended: false });
  app.disable('x-powered-by');
  // JSON APIs: no client revalidates with If-None-Match, so hashing every response body is waste.
  app.set('etag', false);
  app.use(httpMetricsMiddleware());
  app.enableShutdownHooks();
  await app.listen(options.port, process.env.HOST ?? '127.0.0.1');
  return app;
}
