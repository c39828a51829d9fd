import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { SeatsController } from './seats.controller';
import { SeatsRepository } from './seats.repository';
import { SeatsResolver } from './seats.resolver';
import { SeatsService } from './seats.service';

/** Registered PCs: registration by tenant admins, the gateway's device check, the billable seats of a month. */
@Module({
  imports: [IdentityModule],
  controllers: [SeatsController],
  providers: [SeatsRepository, SeatsService, SeatsResolver],
})
export class SeatsModule {}
