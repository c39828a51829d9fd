import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { PlatformModule } from '@thankstar/platform';
import { CalendarResolver } from './calendar/calendar.resolver';
import { CalendarService } from './calendar/calendar.service';
import { ContractsResolver, TenantResolver } from './contracts/contracts.resolver';
import { ContractsService } from './contracts/contracts.service';
import { database } from './database';
import { InvoicePdfController } from './invoicing/invoice-pdf.controller';
import { InvoicingResolver } from './invoicing/invoicing.resolver';
import { InvoicingService } from './invoicing/invoicing.service';
import { ISSUER, issuerFromEnv } from './invoicing/issuer';
import { MonthlyCloseScheduler } from './invoicing/monthly-close.scheduler';
import { PipelineWatermarkService } from './invoicing/pipeline-watermark.service';
import { KeyedRecordsConsumer } from './keyed-records/keyed-records.consumer';
import { KeyedRecordsService } from './keyed-records/keyed-records.service';
import { PlansResolver, PlanVersionResolver } from './plans/plans.resolver';
import { PlansService } from './plans/plans.service';
import { RatingConsumer } from './rating/rating.consumer';
import { RatingService } from './rating/rating.service';
import { UsageResolver } from './usage/usage.resolver';
import { UsageService } from './usage/usage.service';

// src/ under tests, dist/src/ when built: the SDL sits at the service root either way.
const schemaPath = [join(__dirname, '../schema.graphql'), join(__dirname, '../../schema.graphql')].find((p) =>
  existsSync(p),
);
if (!schemaPath) throw new Error('billing: schema.graphql not found next to src/ or dist/');

@Module({
  imports: [PlatformModule.forService({ ...database, typePaths: [schemaPath] })],
  providers: [
    PlansService,
    PlansResolver,
    PlanVersionResolver,
    ContractsService,
    ContractsResolver,
    TenantResolver,
    CalendarService,
    CalendarResolver,
    RatingService,
    RatingConsumer,
    UsageService,
    UsageResolver,
    { provide: ISSUER, useFactory: issuerFromEnv },
    KeyedRecordsService,
    KeyedRecordsConsumer,
    InvoicingService,
    PipelineWatermarkService,
    InvoicingResolver,
    MonthlyCloseScheduler,
  ],
  controllers: [InvoicePdfController],
})
export class AppModule {}
