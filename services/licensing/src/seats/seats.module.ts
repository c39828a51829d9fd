import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { LeasesModule } from '../leases/leases.module';
import { PairingRepository } from './pairing.repository';
import { PairingService } from './pairing.service';
import { SeatsController } from './seats.controller';
import { SeatsRepository } from './seats.repository';
import { SeatsResolver } from './seats.resolver';
import { SeatsService } from './seats.service';

/** Registered PCs: pairing and revocation by tenant admins, the gateway's device check, the billable seats of a month. */
@Module({
  imports: [IdentityModule, LeasesModule],
  controllers: [SeatsController],
  providers: [SeatsRepository, SeatsService, PairingRepository, PairingService, SeatsResolver],
})
export class SeatsModule {}
