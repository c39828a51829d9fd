import type { ApolloServerPlugin } from '@apollo/server';
import { catalogueGraphQLError, rootFields, rootTypeName } from '@thankstar/platform';
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
            throw catalogueGraphQLError(
              'UNAUTHENTICATED',
              {
                reason: {
                  ja: `${field} にはサインインが必要です（Authorization: Bearer <トークン> を送ってください）。`,
                  en: `${field} needs a signed-in user: send Authorization: Bearer <token>.`,
                },
              },
              { http: { status: 401 } },
            );
          }
          if (decision === 'FORBIDDEN') {
            throw catalogueGraphQLError(
              'FORBIDDEN',
              { reason: { ja: `このロールでは ${field} を実行できません。`, en: `Your role may not use ${field}.` } },
              { http: { status: 403 } },
            );
          }
        }
      },
    };
  },
};
