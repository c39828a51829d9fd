import { Inject, Injectable } from '@nestjs/common';
import {
  forbidden,
  type Principal,
  TOKEN_VERIFIER,
  type TokenVerifier,
  toGraphQLError,
  unauthenticated,
} from '@thankstar/platform';

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/**
 * Nest does not run guards on `@ResolveReference()` (it is a type-level resolver, and the root
 * `_entities` field is the federation driver's), so entity lookups from the gateway would have
 * no principal. This verifies the token the same way the AuthGuard does. Exception filters do
 * not run there either, so errors leave as GraphQL errors with their code already set.
 */
@Injectable()
export class ReferencePrincipal {
  constructor(@Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier) {}

  async of(req: RequestLike): Promise<Principal> {
    if (req.principal) return req.principal;
    const header = req.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) throw toGraphQLError(unauthenticated());
    req.principal = await this.verifier.verify(token).catch((err: unknown) => {
      throw toGraphQLError(err);
    });
    return req.principal;
  }

  /** The caller's principal when the entity belongs to the caller's tenant; FORBIDDEN otherwise. */
  async ofTenant(req: RequestLike, tenantId: string): Promise<Principal> {
    const principal = await this.of(req);
    if (principal.tenantId !== tenantId) throw toGraphQLError(forbidden('That tenant is not yours.'));
    return principal;
  }
}
