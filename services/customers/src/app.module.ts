import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { PlatformModule } from '@thankstar/platform';
import { ConfigModule } from './config';
import { CsvModule } from './csv/csv.module';
import { CustomFieldsModule } from './custom-fields/custom-fields.module';
import { CustomersModule } from './customers/customers.module';
import { database } from './database';
import { InteractionsModule } from './interactions/interactions.module';
import { LookupModule } from './lookup/lookup.module';
import { NumbersModule } from './numbers/numbers.module';
import { PopupsModule } from './popups/popups.module';
import { WebhooksModule } from './webhooks/webhooks.module';

// The SDL sits at the package root: one level up from src/ (tests run from source), two from dist/src/.
const schemaPath = [join(__dirname, '../schema.graphql'), join(__dirname, '../../schema.graphql')].find((p) =>
  existsSync(p),
);

@Module({
  imports: [
    PlatformModule.forService({ ...database, typePaths: [schemaPath ?? 'schema.graphql'] }),
    ConfigModule,
    CustomFieldsModule,
    CustomersModule,
    NumbersModule,
    InteractionsModule,
    LookupModule,
    PopupsModule,
    CsvModule,
    WebhooksModule,
  ],
})
export class AppModule {}
