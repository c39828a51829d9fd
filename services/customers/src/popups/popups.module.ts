import { Module } from '@nestjs/common';
import { InteractionsModule } from '../interactions/interactions.module';
import { LookupModule } from '../lookup/lookup.module';
import { CallEventsConsumer } from './call-events.consumer';
import { PopupsRepository } from './popups.repository';
import { PopupsResolver } from './popups.resolver';
import { PopupsService } from './popups.service';

/** Call events in, popups out (stored once as they rang; the call's live facts joined from interactions). */
@Module({
  imports: [InteractionsModule, LookupModule],
  providers: [PopupsRepository, PopupsService, PopupsResolver, CallEventsConsumer],
})
export class PopupsModule {}
