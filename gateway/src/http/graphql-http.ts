import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, HeaderMap } from '@apollo/server';
import {
  argumentValidationPlugin,
  DomainError,
  domainErrorExtras,
  forwardedClientAddress,
  type RateLimit,
  RateLimiter,
  type TokenVerifier,
  unauthenticated,
} from '@thankstar/platform';
import { GraphQLError } from 'graphql/index.js';
import { bearerToken } from '../auth/bearer-token';
import { authorizationPlugin } from '../authorization/authorization-plugin';
import { anonymousRateLimitPlugin, rateLimited } from './anonymous-rate-limit';
import { AuthForwardingDataSource } from './auth-forwarding-data-source';
import { documentLimits, type QueryLimits } from './document-limits';
import type { HttpContext } from './http-context';
import { readBody } from './read-body';

export type { QueryLimits } from './document-limits';

export interface HttpRateLimits {
  user: RateLimit;
  tenant: RateLimit;
  /** Per client address: sign-ins and other anonymous calls, and requests with a bad token. */
  anonymous: RateLimit;
  /** Per client address: token refreshes, apart from sign-ins so neither starves the other. */
  refresh: RateLimit;
}

export interface GraphQLHttpOptions {
  supergraphSdl: string;
  /** Subgraph name -> URL; replaces the placeholders of the composed file. */
  subgraphUrls: Record<string, string>;
  verifier: TokenVerifier;
  introspection: boolean;
  maxBodyBytes: number;
  rateLimits: HttpRateLimits;
  queryLimits: QueryLimits;
  /** Proxies of ours in front of the gateway: the client is the entry the outermost one appended to X-Forwarded-For. */
  trustedProxyHops: number;
  /** Signs the client address forwarded to the subgraphs (THANKSTAR_FORWARDING_SECRET). */
  forwardingSecret: string;
  /** Where internal failures (an unreachable subgraph, a bug) are logged; clients get a generic error. */
  logError?: (message: string) => void;
}

export interface GraphQLHttp {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  stop(): Promise<void>;
}

/** Queries and mutations: Apollo Gateway over the subgraphs, behind the gateway's own checks. */
export async function startGraphQLHttp(options: GraphQLHttpOptions): Promise<GraphQLHttp> {
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) =>
      new AuthForwardingDataSource({ url: options.subgraphUrls[name] ?? url }, options.forwardingSecret),
  });
  const armor = documentLimits(options.queryLimits);
  const perUser = new RateLimiter(options.rateLimits.user);
  const perTenant = new RateLimiter(options.rateLimits.tenant);
  const perAddress = new RateLimiter(options.rateLimits.anonymous);
  const refreshes = new RateLimiter(options.rateLimits.refresh);
  const apollo = new ApolloServer<HttpContext>({
    gateway,
    csrfPrevention: true,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    // One operation per request: a batch would multiply every limit below.
    allowBatchedHttpRequests: false,
    validationRules: armor.validationRules,
    parseOptions: armor.parseOptions,
    // The subgraphs refuse bad arguments themselves (PlatformModule); the gateway refuses them too,
    // with the same rules, so they cost no subgraph fetch. Last: who may call comes first (401/403).
    plugins: [
      ...armor.plugins,
      anonymousRateLimitPlugin(perAddress, refreshes),
      authorizationPlugin,
      argumentValidationPlugin<HttpContext>(),
    ],
    formatError: (formatted, error) => {
      const code = formatted.extensions?.code;
      // Internal failures (an unreachable subgraph, a bug) keep their details in our logs only.
      if (code === undefined || code === 'INTERNAL_SERVER_ERROR') {
        const cause = error instanceof Error ? (error.cause ?? error) : error;
        options.logError?.(
          `GraphQL request failed inside the gateway: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`,
        );
        return { message: 'Something went wrong on our side.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      }
      return formatted;
    },
  });
  await apollo.start();

  // Anonymous calls are limited per address once their operation is known (the plugin), so a
  // refresh and a sign-in draw on different allowances.
  const contextOf = async (authorization: string | undefined, address: string): Promise<HttpContext> => {
    if (authorization === undefined) return { clientAddress: address };
    // A bad token is an anonymous call that failed: it draws on the address's allowance, so
    // guessing or replaying tokens is as slow as guessing passwords. Only failures draw on it: a
    // valid token from an office whose sign-ins are at their limit still works.
    const refuse = (err: DomainError) => {
      if (!perAddress.take(address)) return rateLimited(perAddress.waitSeconds(address));
      return httpAuthError(err);
    };
    const token = bearerToken(authorization);
    if (!token)
      throw refuse(
        unauthenticated({
          ja: 'Authorization ヘッダーは "Bearer <トークン>" の形式で送ってください。',
          en: 'The Authorization header must be "Bearer <token>".',
        }),
      );
    let context: HttpContext;
    try {
      context = { principal: await options.verifier.verify(token), authorization, clientAddress: address };
    } catch (err) {
      if (err instanceof DomainError) throw refuse(err);
      throw refuse(unauthenticated({ ja: 'アクセストークンが正しくありません。', en: 'The access token is invalid.' }));
    }
    const { userId, tenantId } = context.principal as NonNullable<HttpContext['principal']>;
    if (!perUser.take(userId)) throw rateLimited(perUser.waitSeconds(userId));
    if (!perTenant.take(tenantId)) throw rateLimited(perTenant.waitSeconds(tenantId));
    return context;
  };

  return {
    handle: async (req, res) => {
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const raw = await readBody(req, options.maxBodyBytes);
      let body: unknown = raw;
      if (raw !== '' && headers.get('content-type')?.startsWith('application/json')) {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new DomainError('BAD_REQUEST', {
            reason: { ja: '本文が JSON として読めません。', en: 'The request body is not valid JSON.' },
          });
        }
      }
      const url = new URL(req.url ?? '/', 'http://gateway');
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: () =>
          contextOf(
            headers.get('authorization'),
            forwardedClientAddress(req.headers['x-forwarded-for'], req.socket.remoteAddress, options.trustedProxyHops),
          ),
      });
      res.statusCode = response.status ?? 200;
      for (const [name, value] of response.headers) res.setHeader(name, value);
      if (response.body.kind === 'complete') {
        res.end(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    },
    stop: () => apollo.stop(),
  };
}

function httpAuthError(err: DomainError): GraphQLError {
  return new GraphQLError(err.message, {
    extensions: { code: err.code, ...domainErrorExtras(err), http: { status: 401 } },
  });
}
