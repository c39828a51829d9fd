import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { TenantsResolver } from './tenants.resolver';
import { TenantsService } from './tenants.service';

/** Back office: the provider lists its customer tenants and creates one with its first admin's invitation. */
@Module({
  imports: [IdentityModule],
  providers: [TenantsService, TenantsResolver],
})
export class TenantsModule {}
