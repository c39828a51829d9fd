import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { CustomerNoticesConsumer } from './customer-notices.consumer';

/** Notices other services ask licensing to mail to a tenant's admins (it owns the users and the mailer). */
@Module({
  imports: [IdentityModule],
  providers: [CustomerNoticesConsumer],
})
export class NoticesModule {}
