import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module';
import { KeysModule } from '../keys/keys.module';
import { TenantRateLimiter } from './tenant-rate-limiter';
import { WebhookController } from './webhook.controller';

/** The signed JSON webhook, and the per-tenant rate limit every call event source takes from. */
@Module({
  imports: [CallsModule, KeysModule],
  controllers: [WebhookController],
  providers: [TenantRateLimiter],
  exports: [TenantRateLimiter],
})
export class WebhookModule {}
