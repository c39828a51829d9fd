import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { PlatformModule } from '@thankstar/platform';
import { CalendarModule } from './calendar/calendar.module';
import { ConfigModule } from './config';
import { ContractsModule } from './contracts/contracts.module';
import { database } from './database';
import { InvoicingModule } from './invoicing/invoicing.module';
import { KeyedRecordsModule } from './keyed-records/keyed-records.module';
import { PlansModule } from './plans/plans.module';
import { RatingModule } from './rating/rating.module';
import { UsageModule } from './usage/usage.module';

// src/ under tests, dist/src/ when built: the SDL sits at the service root either way.
const schemaPath = [join(__dirname, '../schema.graphql'), join(__dirname, '../../schema.graphql')].find((p) =>
  existsSync(p),
);
if (!schemaPath) throw new Error('billing: schema.graphql not found next to src/ or dist/');

@Module({
  imports: [
    PlatformModule.forService({ ...database, typePaths: [schemaPath] }),
    ConfigModule,
    PlansModule,
    ContractsModule,
    CalendarModule,
    RatingModule,
    UsageModule,
    KeyedRecordsModule,
    InvoicingModule,
  ],
})
export class AppModule {}
