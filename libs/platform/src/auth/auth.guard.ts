import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { forbidden, unauthenticated } from '../errors/domain-error';
import { addToLogContext } from '../observability/log-context';
import type { Principal, Role } from './principal';
import type { TokenVerifier } from './token-verifier';

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
const PUBLIC = 'thankstar:public';
const ROLES = 'thankstar:roles';

/** The operation needs no access token (login, JWKS, signed webhooks that check their own signature). */
export const Public = () => SetMetadata(PUBLIC, true);
/** The operation needs one of these roles. Without it, any authenticated user passes. */
export const Roles = (...allowed: Role[]) => SetMetadata(ROLES, allowed);

interface RequestWithPrincipal {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

function requestOf(context: ExecutionContext): RequestWithPrincipal {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: RequestWithPrincipal }>().req;
  }
  return context.switchToHttp().getRequest<RequestWithPrincipal>();
}

/**
 * Every service verifies the access token itself: a subgraph never trusts a request just
 * because it came through the gateway.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = requestOf(context);
    const header = req.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) throw unauthenticated();
    const principal = await this.verifier.verify(token);
    req.principal = principal;
    // The request's log context (RequestContextMiddleware) names the verified tenant from here on.
    addToLogContext({ tenantId: principal.tenantId });
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (allowed && !principal.roles.some((r) => allowed.includes(r))) {
      throw forbidden(`This needs one of the roles: ${allowed.join(', ')}.`);
    }
    return true;
  }
}

/** The verified caller. Tenant-scoped reads and writes take `principal.tenantId` from here only. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = requestOf(context).principal;
  if (!principal) throw unauthenticated();
  return principal;
});
