import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { type BillingConfig, CONFIG } from '../config';
import { ContractsModule } from '../contracts/contracts.module';
import { KeyedRecordsModule } from '../keyed-records/keyed-records.module';
import { PlansModule } from '../plans/plans.module';
import { RatedCallsModule } from '../rating/rated-calls.module';
import { InvoiceBuilder } from './invoice-builder';
import { InvoiceNumbering } from './invoice-numbering';
import { InvoicePdfController } from './invoice-pdf.controller';
import { InvoiceSettingsRepository } from './invoice-settings.repository';
import { InvoiceSettingsService } from './invoice-settings.service';
import { InvoicingResolver } from './invoicing.resolver';
import { InvoicingService } from './invoicing.service';
import { ISSUER, issuerFrom } from './issuer';
import { MonthLocksModule } from './month-locks.module';
import { MonthlyCloseScheduler } from './monthly-close.scheduler';
import { PipelineWatermarkService } from './pipeline-watermark.service';

/** Monthly qualified invoices (docs/product-rules.md, invoices): the close, numbering, credit notes, PDFs. */
@Module({
  imports: [MonthLocksModule, RatedCallsModule, PlansModule, CalendarModule, ContractsModule, KeyedRecordsModule],
  providers: [
    { provide: ISSUER, useFactory: (config: BillingConfig) => issuerFrom(config), inject: [CONFIG] },
    PipelineWatermarkService,
    InvoiceNumbering,
    InvoiceBuilder,
    InvoiceSettingsRepository,
    InvoiceSettingsService,
    InvoicingService,
    InvoicingResolver,
    MonthlyCloseScheduler,
  ],
  controllers: [InvoicePdfController],
})
export class InvoicingModule {}
