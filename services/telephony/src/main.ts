import 'reflect-metadata';
import { bootstrapService, startTracing } from '@thankstar/platform';
import { AppModule } from './app.module';
import { installWebhookKeyGate } from './webhook/webhook-key-gate';

startTracing('telephony');
void bootstrapService(AppModule, {
  service: 'telephony',
  port: Number(process.env.PORT ?? 4001),
  rawBody: true,
  beforeBodyParsers: installWebhookKeyGate,
});
