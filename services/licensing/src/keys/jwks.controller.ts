import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '@thankstar/platform';
import { SigningKeysService } from './signing-keys.service';

@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeysService) {}

  @Public()
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=60')
  jwks() {
    return this.keys.jwks();
  }
}
