import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformModule, TOKEN_VERIFIER } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { database } from './database';
import { TenantResolver, UserResolver } from './identity/identity.resolver';
import { InvitationsService } from './identity/invitations.service';
import { LoginService } from './identity/login.service';
import { LoginThrottle } from './identity/login-throttle.service';
import { Mailer } from './identity/mailer.service';
import { RefreshTokens } from './identity/refresh-tokens.service';
import { TenantEntity } from './identity/tenant.entity';
import { UserEntity } from './identity/user.entity';
import { UsersService } from './identity/users.service';
import { JwksController } from './keys/jwks.controller';
import { SigningKeyEntity } from './keys/signing-key.entity';
import { SigningKeysService } from './keys/signing-keys.service';
import { ContractsConsumer } from './leases/contracts.consumer';
import { DesktopLeasesController } from './leases/desktop-leases.controller';
import { DesktopLeasesService } from './leases/desktop-leases.service';
import { LeaseEventsPublisher } from './leases/lease-events.publisher';
import { LeaseSweeper } from './leases/lease-sweeper';
import { LeasesController } from './leases/leases.controller';
import { LeasesRepository } from './leases/leases.repository';
import { LeasesResolver } from './leases/leases.resolver';
import { LeasesService } from './leases/leases.service';
import { SeatsController } from './seats/seats.controller';
import { SeatsResolver } from './seats/seats.resolver';
import { SeatsService } from './seats/seats.service';
import { TenantsResolver } from './tenants/tenants.resolver';
import { TenantsService } from './tenants/tenants.service';

// From dist/src when built, from src when tests run the sources.
const schemaPath =
  [join(__dirname, '../../schema.graphql'), join(__dirname, '../schema.graphql')].find(existsSync) ?? '';

@Module({
  imports: [
    PlatformModule.forService({
      ...database,
      typePaths: [schemaPath],
      tokenVerifier: {
        provide: TOKEN_VERIFIER,
        useFactory: (ds: DataSource) => new SigningKeysService(ds.getRepository(SigningKeyEntity)),
        inject: [DataSource],
      },
    }),
    TypeOrmModule.forFeature([TenantEntity, UserEntity, SigningKeyEntity]),
  ],
  controllers: [JwksController, LeasesController, DesktopLeasesController, SeatsController],
  providers: [
    SigningKeysService,
    LoginService,
    LoginThrottle,
    RefreshTokens,
    Mailer,
    InvitationsService,
    UsersService,
    UserResolver,
    TenantResolver,
    LeasesRepository,
    LeasesService,
    LeasesResolver,
    DesktopLeasesService,
    LeaseSweeper,
    LeaseEventsPublisher,
    ContractsConsumer,
    SeatsService,
    SeatsResolver,
    TenantsService,
    TenantsResolver,
  ],
  exports: [SigningKeysService],
})
export class AppModule {}
