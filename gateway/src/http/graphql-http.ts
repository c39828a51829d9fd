import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { DomainError, type TokenVerifier } from '@thankstar/platform';
import { GraphQLError } from 'graphql/index.js';
import { bearerToken } from '../auth/bearer-token';
import { authorizationPlugin } from '../authorization/authorization-plugin';
import { AuthForwardingDataSource } from './auth-forwarding-data-source';
import type { HttpContext } from './http-context';
import { type RateLimit, RateLimiter } from './rate-limit';
import { readBody } from './read-body';

export interface GraphQLHttpOptions {
  supergraphSdl: string;
  /** Subgraph name -> URL; replaces the placeholders of the composed file. */
  subgraphUrls: Record<string, string>;
  verifier: TokenVerifier;
  introspection: boolean;
  maxBodyBytes: number;
  rateLimits: { user: RateLimit; tenant: RateLimit; anonymous: RateLimit };
  queryLimits: QueryLimits;
  /** Where internal failures (an unreachable subgraph, a bug) are logged; clients get a generic error. */
  logError?: (message: string) => void;
}

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives: number;
}

export interface GraphQLHttp {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  stop(): Promise<void>;
}

/** Queries and mutations: Apollo Gateway over the subgraphs, behind the gateway's own checks. */
export async function startGraphQLHttp(options: GraphQLHttpOptions): Promise<GraphQLHttp> {
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => new AuthForwardingDataSource({ url: options.subgraphUrls[name] ?? url }),
  });
  const limits = options.queryLimits;
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    costLimit: { maxCost: limits.maxCost },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: limits.maxDirectives },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  const apollo = new ApolloServer<HttpContext>({
    gateway,
    csrfPrevention: true,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    // One operation per request: a batch would multiply every limit below.
    allowBatchedHttpRequests: false,
    validationRules: armor.validationRules,
    plugins: [...armor.plugins, authorizationPlugin],
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

  const perUser = new RateLimiter(options.rateLimits.user);
  const perTenant = new RateLimiter(options.rateLimits.tenant);
  const perAddress = new RateLimiter(options.rateLimits.anonymous);

  const contextOf = async (authorization: string | undefined, address: string): Promise<HttpContext> => {
    if (authorization === undefined) {
      if (!perAddress.take(address)) throw rateLimited();
      return {};
    }
    const token = bearerToken(authorization);
    if (!token) throw httpAuthError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".');
    let context: HttpContext;
    try {
      context = { principal: await options.verifier.verify(token), authorization };
    } catch (err) {
      if (err instanceof DomainError) throw httpAuthError(err.code, err.message);
      throw httpAuthError('UNAUTHENTICATED', 'The access token is invalid.');
    }
    const { userId, tenantId } = context.principal as NonNullable<HttpContext['principal']>;
    if (!perUser.take(userId) || !perTenant.take(tenantId)) throw rateLimited();
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
          throw new DomainError('BAD_REQUEST', 'The request body is not valid JSON.', 400);
        }
      }
      const url = new URL(req.url ?? '/', 'http://gateway');
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: () => contextOf(headers.get('authorization'), req.socket.remoteAddress ?? 'unknown'),
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

function rateLimited(): GraphQLError {
  return new GraphQLError('Too many requests; slow down and retry in a few seconds.', {
    extensions: { code: 'RATE_LIMITED', http: { status: 429, headers: new Map([['retry-after', '1']]) } },
  });
}

function httpAuthError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 401 } } });
}
