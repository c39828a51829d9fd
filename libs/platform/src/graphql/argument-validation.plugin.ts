import type { ApolloServerPlugin } from '@apollo/server';
import { argumentError, argumentProblems } from './argument-rules';

/**
 * Refuses an operation whose arguments break the rules of argument-rules.ts with BAD_USER_INPUT
 * (HTTP 400) before any resolver runs. Every subgraph installs it through PlatformModule, so no
 * resolver has to remember it; the gateway installs it too, to refuse before forwarding.
 * didResolveOperation is the first moment the operation is parsed, validated and chosen.
 */
export function argumentValidationPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const problem = argumentProblems(schema, document, operation, request.variables);
          if (problem) throw argumentError(problem);
        },
      };
    },
  };
}
