import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { PlatformModule } from '@thankstar/platform';
import { CallsModule } from './calls/calls.module';
import { ConfigModule } from './config';
import { database } from './database';
import { KeysModule } from './keys/keys.module';
import { LinesModule } from './lines/lines.module';
import { SipModule } from './sip/sip.module';
import { TwilioModule } from './twilio/twilio.module';
import { WebhookModule } from './webhook/webhook.module';

// The SDL sits at the package root: one level up from src/ (tests), two from dist/src/ (built).
const schemaPath = [join(__dirname, '../schema.graphql'), join(__dirname, '../../schema.graphql')].find((p) =>
  existsSync(p),
);

@Module({
  imports: [
    PlatformModule.forService({ ...database, typePaths: [schemaPath ?? 'schema.graphql'] }),
    ConfigModule,
    LinesModule,
    CallsModule,
    KeysModule,
    WebhookModule,
    TwilioModule,
    SipModule,
  ],
})
export class AppModule {}
