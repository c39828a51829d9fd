import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { HttpContext } from './http-context';

/** Passes the caller's token on: every subgraph verifies it again and scopes by its tenant. */
export class AuthForwardingDataSource extends RemoteGraphQLDataSource<HttpContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<HttpContext>): void {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
  }
}
