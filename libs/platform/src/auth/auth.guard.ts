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
import type { GraphQLResolveInfo } from 'graphql/index.js';
import { forbidden, unauthenticated } from '../errors/domain-error';
import { addToLogContext } from '../observability/log-context';
import { authorizationMatrix, authorize, type OperationRule } from './authorization-matrix';
import type { Principal, Role } from './principal';
import type { TokenVerifier } from './token-verifier';

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
const PUBLIC = 'thankstar:public';
const ROLES = 'thankstar:roles';

/**
 * The REST route needs no access token (JWKS, signed webhooks that check their own signature).
 * GraphQL root fields take their rule from the authorization matrix instead (see AuthGuard).
 */
export const Public = () => SetMetadata(PUBLIC, true);
/**
 * The REST route needs one of these roles. Without it, any authenticated user passes. GraphQL root
 * fields take their roles from the authorization matrix instead (see AuthGuard).
 */
export const Roles = (...allowed: Role[]) => SetMetadata(ROLES, allowed);

const rootTypes = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * The matrix row of a GraphQL root field (`Mutation.createCustomer`), or undefined for anything
 * else (REST routes, and the rare field resolver a guard runs on).
 */
function graphqlOperationOf(
  context: ExecutionContext,
): { operation: string; rule: OperationRule | undefined } | undefined {
  if (context.getType<string>() !== 'graphql') return undefined;
  const info = GqlExecutionContext.create(context).getInfo<GraphQLResolveInfo>();
  const parent = info?.parentType?.name;
  if (!parent || !rootTypes.has(parent)) return undefined;
  const operation = `${parent}.${info.fieldName}`;
  return { operation, rule: authorizationMatrix[operation] };
}

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
 * because it came through the gateway. A GraphQL root field is decided by its row of the
 * authorization matrix, the same row the gateway enforces, so a token sent straight to a
 * subgraph meets exactly the gateway's rule; a root field without a row is refused. REST routes
 * use @Public()/@Roles().
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const graphql = graphqlOperationOf(context);
    if (graphql) return this.allowOperation(context, graphql.operation, graphql.rule);
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const principal = await this.verifiedCaller(requestOf(context));
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (allowed && !principal.roles.some((r) => allowed.includes(r))) {
      throw forbidden({
        ja: `この操作には次のいずれかのロールが必要です: ${allowed.join(', ')}。`,
        en: `This needs one of the roles: ${allowed.join(', ')}.`,
      });
    }
    return true;
  }

  /** A GraphQL root field: exactly the gateway's decision (authorize) on the same matrix row. */
  private async allowOperation(
    context: ExecutionContext,
    operation: string,
    rule: OperationRule | undefined,
  ): Promise<boolean> {
    if (rule?.roles === 'public') return true;
    const principal = await this.verifiedCaller(requestOf(context));
    if (authorize(rule, principal) === 'ALLOWED') return true;
    throw forbidden(
      rule
        ? { ja: `このロールでは ${operation} を実行できません。`, en: `Your role may not use ${operation}.` }
        : {
            ja: `${operation} には権限の定義がないため実行できません。`,
            en: `${operation} has no authorization rule, so nobody may use it.`,
          },
    );
  }

  private async verifiedCaller(req: RequestWithPrincipal): Promise<Principal> {
    const header = req.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) throw unauthenticated();
    const principal = await this.verifier.verify(token);
    req.principal = principal;
    // The request's log context (RequestContextMiddleware) names the verified tenant from here on.
    addToLogContext({ tenantId: principal.tenantId });
    return principal;
  }
}

/** The verified caller. Tenant-scoped reads and writes take `principal.tenantId` from here only. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = requestOf(context).principal;
  if (!principal) throw unauthenticated();
  return principal;
});
