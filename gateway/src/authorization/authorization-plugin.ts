import type { ApolloServerPlugin } from '@apollo/server';
import { rootFields, rootTypeName } from '@thankstar/platform';
import { GraphQLError } from 'graphql/index.js';
import type { HttpContext } from '../http/http-context';
import { authorizationMatrix } from './authorization-matrix';
import { authorize } from './authorize';

/** The one walk over an operation's root fields lives in libs/platform; re-exported for the gateway's plugins. */
export { rootFields };

/** Refuses, before any subgraph is called, an operation the caller's roles do not allow. */
export const authorizationPlugin: ApolloServerPlugin<HttpContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, document, contextValue }) {
        if (!operation) return;
        for (const field of rootFields(document, rootTypeName[operation.operation], operation.selectionSet)) {
          const decision = authorize(authorizationMatrix[field], contextValue.principal);
          if (decision === 'UNAUTHENTICATED') {
            throw new GraphQLError(`${field} needs a signed-in user: send Authorization: Bearer <token>.`, {
              extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
            });
          }
          if (decision === 'FORBIDDEN') {
            throw new GraphQLError(`Your role may not use ${field}.`, {
              extensions: { code: 'FORBIDDEN', http: { status: 403 } },
            });
          }
        }
      },
    };
  },
};
