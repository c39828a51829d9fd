import { Module } from '@nestjs/common';
import { LookupRepository } from './lookup.repository';
import { LookupResolver } from './lookup.resolver';
import { LookupService } from './lookup.service';
import { PlansConsumer } from './plans.consumer';
import { WritebackConsumer } from './writeback.consumer';

/** Lookup sources and connectors (Integration plan): asked during the ring, written back to on completion. */
@Module({
  providers: [LookupRepository, LookupService, LookupResolver, PlansConsumer, WritebackConsumer],
  exports: [LookupService, LookupRepository],
})
export class LookupModule {}
