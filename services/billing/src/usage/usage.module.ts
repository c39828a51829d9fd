import { Module } from '@nestjs/common';
import { RatedCallsModule } from '../rating/rated-calls.module';
import { OverviewRepository } from './overview.repository';
import { OverviewResolver } from './overview.resolver';
import { OverviewService } from './overview.service';
import { UsageResolver } from './usage.resolver';
import { UsageService } from './usage.service';

/**
 * A tenant's month of popups per day (read from rating's rated calls through its repository), and
 * the back office's overview of invoiced revenue and waiting invoices.
 */
@Module({
  imports: [RatedCallsModule],
  providers: [UsageService, UsageResolver, OverviewRepository, OverviewService, OverviewResolver],
})
export class UsageModule {}
