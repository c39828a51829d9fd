import { Module } from '@nestjs/common';
import { RatedCallsModule } from '../rating/rated-calls.module';
import { UsageResolver } from './usage.resolver';
import { UsageService } from './usage.service';

/** A tenant's month of popups per day (read from rating's rated calls through its repository). */
@Module({
  imports: [RatedCallsModule],
  providers: [UsageService, UsageResolver],
})
export class UsageModule {}
