import type { ApolloServerPlugin } from '@apollo/server';
import { type FragmentDefinitionNode, Kind } from 'graphql/index.js';
import type { Principal } from '../auth/principal';
import { currentLogContext } from '../observability/log-context';
import { type AuditActor, mutationAuditEntries } from './audit-entry';
import type { AuditWriter } from './audit-writer';

/** The verified caller as an audit actor; the guard put it on the request (AuthGuard.verifiedCaller). */
export function auditActorOf(principal: Principal | undefined): AuditActor | null {
  if (!principal) return null;
  return { userId: principal.userId, tenantId: principal.tenantId, name: principal.name, roles: principal.roles };
}

/**
 * Records every GraphQL mutation, one entry per root field, once the response is ready
 * (willSendResponse: after the resolvers' transactions committed or failed). Queries cost one
 * property read. An Apollo plugin rather than a Nest interceptor: a global interceptor wraps every
 * REST route too (see request-context.middleware.ts), and only here are the resolved operation,
 * its variables and each field's errors all in hand.
 */
export function auditPlugin(writer: () => AuditWriter | undefined): ApolloServerPlugin<Record<string, unknown>> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(requestContext) {
          const operation = requestContext.operation;
          if (operation?.operation !== 'mutation') return;
          const sink = writer();
          if (!sink?.enabled) return;
          try {
            const body = requestContext.response.body;
            const result = body.kind === 'single' ? body.singleResult : undefined;
            const fragments: Record<string, FragmentDefinitionNode> = {};
            for (const definition of requestContext.document?.definitions ?? []) {
              if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
            }
            const req = (requestContext.contextValue as { req?: { principal?: Principal } }).req;
            sink.add(
              mutationAuditEntries({
                schema: requestContext.schema,
                operation,
                fragments,
                variables: requestContext.request.variables,
                data: (result?.data as Record<string, unknown> | null | undefined) ?? undefined,
                errors: result?.errors ?? requestContext.errors?.map((e) => e.toJSON()),
                actor: auditActorOf(req?.principal),
                at: new Date(),
                traceId: currentLogContext().traceId,
              }),
            );
          } catch (error) {
            sink.lost(1, 'build_failed', error);
          }
        },
      };
    },
  };
}
