import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { PlatformModule, TOKEN_VERIFIER } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { CONFIG, type Config, ConfigModule } from './config';
import { database } from './database';
import { IdentityModule } from './identity/identity.module';
import { KeysModule } from './keys/keys.module';
import { KeysRepository } from './keys/keys.repository';
import { SigningKeysService } from './keys/signing-keys.service';
import { LeasesModule } from './leases/leases.module';
import { NoticesModule } from './notices/notices.module';
import { SeatsModule } from './seats/seats.module';
import { TenantsModule } from './tenants/tenants.module';

// From dist/src when built, from src when tests run the sources.
const schemaPath =
  [join(__dirname, '../../schema.graphql'), join(__dirname, '../schema.graphql')].find(existsSync) ?? '';

@Module({
  imports: [
    PlatformModule.forService({
      ...database,
      typePaths: [schemaPath],
      // Licensing verifies its own tokens with its own keys (the verifier shares the key cache
      // with KeysModule's SigningKeysService).
      tokenVerifier: {
        provide: TOKEN_VERIFIER,
        useFactory: (ds: DataSource, config: Config) => new SigningKeysService(ds, new KeysRepository(), config),
        inject: [DataSource, CONFIG],
      },
    }),
    ConfigModule,
    KeysModule,
    IdentityModule,
    LeasesModule,
    NoticesModule,
    SeatsModule,
    TenantsModule,
  ],
})
export class AppModule {}
