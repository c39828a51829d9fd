import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { MonthLocksModule } from '../invoicing/month-locks.module';
import { KeyedRecordsConsumer } from './keyed-records.consumer';
import { KeyedRecordsRepository } from './keyed-records.repository';
import { KeyedRecordsService } from './keyed-records.service';

/** List input per record: the records customers' data-entry imports keyed, plus the back office's adjustment. */
@Module({
  imports: [CalendarModule, MonthLocksModule],
  providers: [KeyedRecordsRepository, KeyedRecordsService, KeyedRecordsConsumer],
  exports: [KeyedRecordsService],
})
export class KeyedRecordsModule {}
