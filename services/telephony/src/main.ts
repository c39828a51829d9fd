import 'reflect-metadata';
import { bootstrapService, startTracing } from '@thankstar/platform';
import { AppModule } from './app.module';
import { loadTelephonyConfig } from './config';
import { installWebhookKeyGate } from './webhook/webhook-key-gate';

startTracing('telephony');
void bootstrapService(AppModule, {
  service: 'telephony',
  port: loadTelephonyConfig().PORT,
  rawBody: true,
  beforeBodyParsers: installWebhookKeyGate,
});
