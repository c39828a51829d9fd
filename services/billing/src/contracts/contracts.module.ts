import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { MonthLocksModule } from '../invoicing/month-locks.module';
import { PlansModule } from '../plans/plans.module';
import { RatedCallsModule } from '../rating/rated-calls.module';
import { ContractsRepository } from './contracts.repository';
import { ContractsResolver, TenantResolver } from './contracts.resolver';
import { ContractsService } from './contracts.service';

/** Contracts, connection packs, plan changes and early termination (docs/product-rules.md, contracts). */
@Module({
  imports: [PlansModule, CalendarModule, MonthLocksModule, RatedCallsModule],
  providers: [ContractsRepository, ContractsService, ContractsResolver, TenantResolver],
  exports: [ContractsService],
})
export class ContractsModule {}
