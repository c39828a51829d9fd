import { Module } from '@nestjs/common';
import { ContractsConsumer } from './contracts.consumer';
import { DesktopLeasesController } from './desktop-leases.controller';
import { DesktopLeasesRepository } from './desktop-leases.repository';
import { DesktopLeasesService } from './desktop-leases.service';
import { LeaseEventsPublisher } from './lease-events.publisher';
import { LeaseSweeper } from './lease-sweeper';
import { LeasesController } from './leases.controller';
import { LeasesRepository } from './leases.repository';
import { LeasesResolver } from './leases.resolver';
import { LeasesService } from './leases.service';

/**
 * Concurrent connections (slot leases, their usage and the packs billing's contracts grant) and
 * desktop leases. Identity uses LeasesService to end a disabled user's leases.
 */
@Module({
  controllers: [LeasesController, DesktopLeasesController],
  providers: [
    LeasesRepository,
    DesktopLeasesRepository,
    LeaseEventsPublisher,
    DesktopLeasesService,
    LeasesService,
    LeaseSweeper,
    ContractsConsumer,
    LeasesResolver,
  ],
  exports: [LeasesService, DesktopLeasesService],
})
export class LeasesModule {}
