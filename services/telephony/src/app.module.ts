import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformModule } from '@thankstar/platform';
import { CallEntity } from './calls/call.entity';
import { CallEventWriter } from './calls/call-event-writer';
import { CallsResolver } from './calls/calls.resolver';
import { CallsService } from './calls/calls.service';
import { database } from './database';
import { WebhookKeysResolver } from './keys/webhook-keys.resolver';
import { WebhookKeysService } from './keys/webhook-keys.service';
import { LineEntity } from './lines/line.entity';
import { LinesResolver, TenantLinesResolver } from './lines/lines.resolver';
import { LinesService } from './lines/lines.service';
import { SipResolver } from './sip/sip.resolver';
import { SipListenerService } from './sip/sip-listener.service';
import { TwilioController } from './twilio/twilio.controller';
import { TwilioResolver } from './twilio/twilio.resolver';
import { TwilioAccountsService } from './twilio/twilio-accounts.service';
import { TenantRateLimiter } from './webhook/tenant-rate-limiter';
import { WebhookController } from './webhook/webhook.controller';

// The SDL sits at the package root: one level up from src/ (tests), two from dist/src/ (built).
const schemaPath = [join(__dirname, '../schema.graphql'), join(__dirname, '../../schema.graphql')].find((p) =>
  existsSync(p),
);

@Module({
  imports: [
    PlatformModule.forService({ ...database, typePaths: [schemaPath ?? 'schema.graphql'] }),
    TypeOrmModule.forFeature([CallEntity, LineEntity]),
  ],
  controllers: [WebhookController, TwilioController],
  providers: [
    CallEventWriter,
    CallsService,
    CallsResolver,
    LinesService,
    LinesResolver,
    TenantLinesResolver,
    WebhookKeysService,
    WebhookKeysResolver,
    TwilioAccountsService,
    TwilioResolver,
    SipListenerService,
    SipResolver,
    TenantRateLimiter,
  ],
})
export class AppModule {}
