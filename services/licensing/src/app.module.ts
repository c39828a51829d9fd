import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformModule, TOKEN_VERIFIER } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { database } from './database';
import { TenantResolver, UserResolver } from './identity/identity.resolver';
import { LoginService } from './identity/login.service';
import { TenantEntity } from './identity/tenant.entity';
import { UserEntity } from './identity/user.entity';
import { JwksController } from './keys/jwks.controller';
import { SigningKeyEntity } from './keys/signing-key.entity';
import { SigningKeysService } from './keys/signing-keys.service';

@Module({
  imports: [
    PlatformModule.forService({
      ...database,
      typePaths: [join(__dirname, '../../schema.graphql')],
      tokenVerifier: {
        provide: TOKEN_VERIFIER,
        useFactory: (ds: DataSource) => new SigningKeysService(ds.getRepository(SigningKeyEntity)),
        inject: [DataSource],
      },
    }),
    TypeOrmModule.forFeature([TenantEntity, UserEntity, SigningKeyEntity]),
  ],
  controllers: [JwksController],
  providers: [SigningKeysService, LoginService, UserResolver, TenantResolver],
  exports: [SigningKeysService],
})
export class AppModule {}
