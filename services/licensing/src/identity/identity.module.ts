import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { LeasesModule } from '../leases/leases.module';
import { IdentityRepository } from './identity.repository';
import { TenantResolver, UserResolver } from './identity.resolver';
import { InvitationsRepository } from './invitations.repository';
import { InvitationsService } from './invitations.service';
import { LoginService } from './login.service';
import { LoginAttemptsRepository } from './login-attempts.repository';
import { LoginThrottle } from './login-throttle.service';
import { Mailer } from './mailer.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { RefreshTokens } from './refresh-tokens.service';
import { UsersService } from './users.service';

/**
 * Tenants and users, sign-in, sessions, invitations and password resets. Owns the `tenants` and
 * `users` tables: other features read them through IdentityRepository. Disabling a user ends
 * their leases (LeasesModule) in the same transaction.
 */
@Module({
  imports: [KeysModule, LeasesModule],
  providers: [
    IdentityRepository,
    InvitationsRepository,
    RefreshTokensRepository,
    LoginAttemptsRepository,
    LoginThrottle,
    RefreshTokens,
    LoginService,
    Mailer,
    InvitationsService,
    UsersService,
    UserResolver,
    TenantResolver,
  ],
  exports: [IdentityRepository, InvitationsService, Mailer],
})
export class IdentityModule {}
