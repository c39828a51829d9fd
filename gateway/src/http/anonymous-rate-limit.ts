import type { ApolloServerPlugin } from '@apollo/server';
import { catalogueGraphQLError, type RateLimiter } from '@thankstar/platform';
import type { GraphQLError } from 'graphql/index.js';
import { rootFields } from '../authorization/authorization-plugin';
import type { HttpContext } from './http-context';

/** 429 with the wait in the Retry-After header and in extensions; the words are the user's. */
export function rateLimited(retryAfterSeconds: number): GraphQLError {
  const wait = Math.max(1, retryAfterSeconds);
  return catalogueGraphQLError(
    'RATE_LIMITED',
    { retryAfterSeconds: wait },
    { retryAfterSeconds: wait, http: { status: 429, headers: new Map([['retry-after', String(wait)]]) } },
  );
}

const rootTypeName = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

/**
 * Anonymous calls, per client address, once the operation is known: a document of only
 * `refresh` draws on the refresh allowance, anything else (sign-in, invitations, resets) on the
 * anonymous one, so a client refreshing its token is not refused because of sign-ins behind the
 * same address, nor the reverse. A document that fails to parse or validate still costs the
 * anonymous allowance (it cost us the work), though it is refused for its own reason.
 */
export function anonymousRateLimitPlugin(
  anonymous: RateLimiter,
  refreshes: RateLimiter,
): ApolloServerPlugin<HttpContext> {
  return {
    async requestDidStart({ contextValue }) {
      const address = contextValue.clientAddress;
      if (contextValue.principal || address === undefined) return {};
      let charged = false;
      const chargeFailure = async (errors?: unknown) => {
        if (errors && (!Array.isArray(errors) || errors.length > 0) && !charged) {
          charged = true;
          anonymous.take(address);
        }
      };
      return {
        async parsingDidStart() {
          return chargeFailure;
        },
        async validationDidStart() {
          return chargeFailure;
        },
        async didResolveOperation({ operation, document }) {
          if (!operation || charged) return;
          const fields = rootFields(document, rootTypeName[operation.operation], operation.selectionSet);
          const limiter = fields.length > 0 && fields.every((f) => f === 'Mutation.refresh') ? refreshes : anonymous;
          charged = true;
          if (!limiter.take(address)) throw rateLimited(limiter.waitSeconds(address));
        },
      };
    },
  };
}
