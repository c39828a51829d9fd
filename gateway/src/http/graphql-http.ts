import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { DomainError, type TokenVerifier } from '@thankstar/platform';
import { GraphQLError } from 'graphql/index.js';
import { bearerToken } from '../auth/bearer-token';
import { AuthForwardingDataSource } from './auth-forwarding-data-source';
import type { HttpContext } from './http-context';
import { readBody } from './read-body';

export interface GraphQLHttpOptions {
  supergraphSdl: string;
  /** Subgraph name -> URL; replaces the placeholders of the composed file. */
  subgraphUrls: Record<string, string>;
  verifier: TokenVerifier;
  introspection: boolean;
  maxBodyBytes: number;
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
  const apollo = new ApolloServer<HttpContext>({
    gateway,
    csrfPrevention: true,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();

  const contextOf = async (authorization: string | undefined): Promise<HttpContext> => {
    if (authorization === undefined) return {};
    const token = bearerToken(authorization);
    if (!token) throw httpAuthError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".');
    try {
      return { principal: await options.verifier.verify(token), authorization };
    } catch (err) {
      if (err instanceof DomainError) throw httpAuthError(err.code, err.message);
      throw httpAuthError('UNAUTHENTICATED', 'The access token is invalid.');
    }
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
        context: () => contextOf(headers.get('authorization')),
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

function httpAuthError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 401 } } });
}
