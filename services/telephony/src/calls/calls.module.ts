import { Module } from '@nestjs/common';
import { LinesModule } from '../lines/lines.module';
import { CallEventWriter } from './call-event-writer';
import { CallEventsRepository } from './call-events.repository';
import { CallsRepository } from './calls.repository';
import { CallsResolver } from './calls.resolver';
import { CallsService } from './calls.service';

/** Calls: the write path every source uses (CallsService.record) and the calls' GraphQL reads. */
@Module({
  imports: [LinesModule],
  providers: [CallsRepository, CallEventsRepository, CallEventWriter, CallsService, CallsResolver],
  exports: [CallsService],
})
export class CallsModule {}
