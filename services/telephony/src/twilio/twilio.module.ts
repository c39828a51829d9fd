import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module';
import { WebhookModule } from '../webhook/webhook.module';
import { TwilioController } from './twilio.controller';
import { TwilioRepository } from './twilio.repository';
import { TwilioResolver } from './twilio.resolver';
import { TwilioAccountsService } from './twilio-accounts.service';

/** Twilio's voice/status webhook and the tenant's Twilio account (connectTwilio). */
@Module({
  imports: [CallsModule, WebhookModule],
  controllers: [TwilioController],
  providers: [TwilioRepository, TwilioAccountsService, TwilioResolver],
})
export class TwilioModule {}
