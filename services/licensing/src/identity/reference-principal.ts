import { Inject, Injectable } from '@nestjs/common';
import { type Principal, TOKEN_VERIFIER, type TokenVerifier, unauthenticated } from '@thankstar/platform';

interface RequestWithHeaders {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Federation's `_entities` calls reach `@ResolveReference` without passing the global AuthGuard,
 * so those handlers verify the caller's token here themselves before scoping by tenant.
 */
@Injectable()
export class ReferencePrincipal {
  constructor(@Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier) {}

  async of(req: RequestWithHeaders): Promise<Principal> {
    const header = req.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) throw unauthenticated();
    return this.verifier.verify(header.slice(7));
  }
}
