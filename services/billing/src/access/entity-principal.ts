import { Inject, Injectable } from '@nestjs/common';
import {
  type Principal,
  TOKEN_VERIFIER,
  type TokenVerifier,
  toGraphQLError,
  unauthenticated,
} from '@thankstar/platform';

interface GatewayRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/**
 * Federation resolves entity fields (`_entities`) without running the route guard, so those
 * resolvers verify the caller's token themselves, and translate domain errors to GraphQL
 * codes (the error filter does not wrap field resolvers either).
 */
@Injectable()
export class EntityPrincipal {
  constructor(@Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier) {}

  async run<T>(req: GatewayRequest, body: (principal: Principal) => Promise<T>): Promise<T> {
    try {
      return await body(await this.principal(req));
    } catch (err) {
      throw toGraphQLError(err);
    }
  }

  private async principal(req: GatewayRequest): Promise<Principal> {
    if (req.principal) return req.principal;
    const header = req.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) throw unauthenticated();
    req.principal = await this.verifier.verify(header.slice(7));
    return req.principal;
  }
}
