import { Module } from '@nestjs/common';
import { JwksController } from './jwks.controller';
import { KeysRepository } from './keys.repository';
import { SigningKeysService } from './signing-keys.service';

/** The signing keys: the JWKS, signing (identity's sign-in) and licensing's own token verifier. */
@Module({
  controllers: [JwksController],
  providers: [KeysRepository, SigningKeysService],
  exports: [SigningKeysService],
})
export class KeysModule {}
