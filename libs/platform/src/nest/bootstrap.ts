import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { platformConfig } from '../config/platform-config';
import { createLogger, JsonLogger, useProcessLogger } from '../observability/logger';
import { httpMetricsMiddleware } from '../observability/metrics';

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
  // One pino logger for the process: Nest's own lines, every `new Logger(ctx)` in the service
  // (Nest's static logger is overridden by this option) and the error filter write through it.
  // Every variable libs/platform reads, validated before anything starts (a typo stops it here).
  const config = platformConfig();
  const logger = useProcessLogger(createLogger({ service: options.service, level: config.LOG_LEVEL }));
  const app = await NestFactory.create<NestExpressApplication>(appModule, {
    logger: new JsonLogger(logger),
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
  await app.listen(options.port, config.HOST);
  return app;
}
