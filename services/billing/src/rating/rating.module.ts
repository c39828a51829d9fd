import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { ContractsModule } from '../contracts/contracts.module';
import { MonthLocksModule } from '../invoicing/month-locks.module';
import { PlansModule } from '../plans/plans.module';
import { RatedCallsModule } from './rated-calls.module';
import { RatingConsumer } from './rating.consumer';
import { RatingService } from './rating.service';

/** Rating every popup once (docs/product-rules.md, calls), and presence and seats from licensing. */
@Module({
  imports: [RatedCallsModule, ContractsModule, PlansModule, CalendarModule, MonthLocksModule],
  providers: [RatingService, RatingConsumer],
})
export class RatingModule {}
