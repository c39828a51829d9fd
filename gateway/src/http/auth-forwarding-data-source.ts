import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import {
  activeTraceparent,
  childTraceparent,
  currentLogContext,
  signClientAddress,
  signGatewayRequest,
} from '@thankstar/platform';
import type { HttpContext } from './http-context';

/**
 * Passes the caller's token on (every subgraph verifies it again and scopes by its tenant), the
 * caller's real address with an HMAC proof (licensing's sign-in throttle counts by it; without it
 * every sign-in would come from the gateway) and the request's trace: with tracing on, the Apollo
 * gateway's fetch span is active here and becomes the subgraph's parent; without, the gateway
 * request's trace id still reaches the subgraph's logs.
 */
export class AuthForwardingDataSource extends RemoteGraphQLDataSource<HttpContext> {
  /**
   * Node's own fetch (undici) instead of Apollo's default make-fetch-happen agent, which keeps
   * idle sockets with no timeout of its own: a subgraph (Node's 5 s keep-alive) closing one just
   * as the gateway reuses it failed the request as an internal error (seen once in CI on a
   * login). undici reads the server's `Keep-Alive: timeout` and retires idle sockets before it.
   */
  override fetcher = globalThis.fetch as unknown as RemoteGraphQLDataSource['fetcher'];

  constructor(
    config: ConstructorParameters<typeof RemoteGraphQLDataSource<HttpContext>>[0],
    private readonly forwardingSecret: string,
  ) {
    super(config);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<HttpContext>): void {
    const headers = request.http?.headers;
    if (context.authorization) headers?.set('authorization', context.authorization);
    if (context.clientAddress) {
      for (const [name, value] of Object.entries(signClientAddress(this.forwardingSecret, context.clientAddress)))
        headers?.set(name, value);
    }
    // Proves to the subgraph that this document comes from us: `_service` and `_entities` answer
    // nobody else where the forwarding secret is set (libs/platform auth/gateway-proof.ts).
    for (const [name, value] of Object.entries(signGatewayRequest(this.forwardingSecret, request.query ?? '')))
      headers?.set(name, value);
    headers?.set('traceparent', activeTraceparent() ?? childTraceparent(currentLogContext().traceparent));
  }
}
