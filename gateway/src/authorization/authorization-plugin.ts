import type { ApolloServerPlugin } from '@apollo/server';
import { type DocumentNode, GraphQLError, Kind, type SelectionSetNode } from 'graphql/index.js';
import type { HttpContext } from '../http/http-context';
import { authorizationMatrix } from './authorization-matrix';
import { authorize } from './authorize';

/** `Query.x`, `Mutation.y` of every root field the operation selects, through fragments. */
export function rootFields(document: DocumentNode, rootType: string, selectionSet: SelectionSetNode): string[] {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const out = new Set<string>();
  const visit = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.name.value.startsWith('__')) out.add(`${rootType}.${selection.name.value}`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, seen);
      } else if (!seen.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet, new Set([...seen, selection.name.value]));
      }
    }
  };
  visit(selectionSet, new Set());
  return [...out];
}

const rootTypeName = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

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
