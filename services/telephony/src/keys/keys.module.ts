import { Module } from '@nestjs/common';
import { WebhookKeysRepository } from './webhook-keys.repository';
import { WebhookKeysResolver } from './webhook-keys.resolver';
import { WebhookKeysService } from './webhook-keys.service';

/** The tenants' webhook signing keys: their management and the cached lookup the webhook uses. */
@Module({
  providers: [WebhookKeysRepository, WebhookKeysService, WebhookKeysResolver],
  exports: [WebhookKeysService],
})
export class KeysModule {}
