import { Inject, Injectable } from '@nestjs/common';
import { forbidden, unauthenticated } from '../errors/domain-error';
import { toGraphQLError } from '../errors/error-filters';
import { TOKEN_VERIFIER } from './auth.guard';
import type { Principal } from './principal';
import type { TokenVerifier } from './token-verifier';

export interface ReferenceRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/**
 * Nest runs no guard and no exception filter on `@ResolveReference()` and on fields of entities
 * reached through the gateway's `_entities` query. Those resolvers get the caller from here: the
 * token is verified exactly as the AuthGuard does (once per request), and errors leave as
 * GraphQL errors with their stable code.
 */
@Injectable()
export class ReferencePrincipal {
  constructor(@Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier) {}

  async of(req: ReferenceRequest): Promise<Principal> {
    if (req.principal) return req.principal;
    const header = req.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) throw toGraphQLError(unauthenticated());
    req.principal = await this.verifier.verify(token).catch((err: unknown) => {
      throw toGraphQLError(err);
    });
    return req.principal;
  }

  /** The caller, when the entity belongs to the caller's tenant; FORBIDDEN otherwise. */
  async ofTenant(req: ReferenceRequest, tenantId: string): Promise<Principal> {
    const principal = await this.of(req);
    if (principal.tenantId !== tenantId)
      throw toGraphQLError(
        forbidden({ ja: '他のテナントのデータにはアクセスできません。', en: 'That tenant is not yours.' }),
      );
    return principal;
  }

  /** Runs `body` as the caller, translating domain errors to GraphQL errors with their code. */
  async run<T>(req: ReferenceRequest, body: (principal: Principal) => Promise<T>): Promise<T> {
    const principal = await this.of(req);
    try {
      return await body(principal);
    } catch (err) {
      throw toGraphQLError(err);
    }
  }
}
