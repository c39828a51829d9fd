import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql/index.js';
import { catalogueGraphQLError } from '../errors/error-filters';
import { rootFields, rootTypeName } from '../graphql/root-fields';
import { forwardingSecretFromEnv } from './client-address';

/**
 * Proof that a subgraph request comes from our gateway: an HMAC, under the same
 * THANKSTAR_FORWARDING_SECRET that proves the client address, of a timestamp and the SHA-256 of
 * the document sent. Bound to the document, a captured header cannot carry another query; bound
 * to the time, it stops working after `maxAgeSeconds`. The secret never crosses the wire.
 */
export const GATEWAY_PROOF_HEADER = 'x-thankstar-gateway-proof';

/** The federation fields only the gateway calls: the SDL, and entities looked up by key. */
export const GATEWAY_ONLY_FIELDS: readonly string[] = ['Query._service', 'Query._entities'];

const digest = (query: string) => createHash('sha256').update(query).digest('hex');
const mac = (secret: string, at: number, query: string) =>
  createHmac('sha256', secret)
    .update(`gateway\n${at}\n${digest(query)}`)
    .digest('hex');

/** The header the gateway adds to a subgraph request carrying `query`. */
export function signGatewayRequest(secret: string, query: string, now = Date.now()): Record<string, string> {
  const at = Math.floor(now / 1000);
  return { [GATEWAY_PROOF_HEADER]: `${at}.${mac(secret, at, query)}` };
}

/** Whether the request carries a valid, fresh gateway proof for exactly this document. */
export function isFromGateway(
  headers: { get(name: string): string | undefined | null } | Record<string, string | string[] | undefined>,
  secret: string,
  query: string,
  now = Date.now(),
  maxAgeSeconds = 60,
): boolean {
  const proof =
    typeof headers.get === 'function'
      ? (headers as { get(name: string): string | undefined | null }).get(GATEWAY_PROOF_HEADER)
      : (headers as Record<string, string | string[] | undefined>)[GATEWAY_PROOF_HEADER];
  if (typeof proof !== 'string') return false;
  const [atText, given] = proof.split('.');
  const at = Number(atText);
  if (!Number.isSafeInteger(at) || !given || Math.abs(now / 1000 - at) > maxAgeSeconds) return false;
  const expected = Buffer.from(mac(secret, at, query), 'hex');
  const actual = Buffer.from(given, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * The secret a subgraph checks the gateway's proof with, or undefined when it does not check:
 * in production always (forwardingSecretFromEnv refuses to run without a real secret), and
 * wherever THANKSTAR_FORWARDING_SECRET is set. A local stack without it keeps answering tools
 * and tests that call `_entities` directly.
 */
export function gatewayProofSecret(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.NODE_ENV !== 'production' && !env.THANKSTAR_FORWARDING_SECRET) return undefined;
  return forwardingSecretFromEnv(env);
}

/**
 * Refuses `_service` and `_entities` without the gateway's proof (GATEWAY_PROOF_REQUIRED, 403).
 * `_entities` resolves references without the guard's per-operation rule (each entity resolver
 * checks its tenant through ReferencePrincipal), and `_service` hands out the whole SDL: only the
 * gateway needs either. The environment is read per request so a test can turn the check on.
 */
export function gatewayOnlyFieldsPlugin(
  env: Record<string, string | undefined> = process.env,
): ApolloServerPlugin<Record<string, unknown>> {
  return {
    // Fail at start, not on the gateway's first entity fetch: production without the secret stops here.
    async serverWillStart() {
      gatewayProofSecret(env);
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (operation?.operation !== 'query') return;
          const fields = rootFields(document, rootTypeName.query, operation.selectionSet);
          if (!fields.some((f) => GATEWAY_ONLY_FIELDS.includes(f))) return;
          const secret = gatewayProofSecret(env);
          if (secret === undefined) return;
          if (request.http && isFromGateway(request.http.headers, secret, request.query ?? '')) return;
          throw catalogueGraphQLError('GATEWAY_PROOF_REQUIRED', {}, { http: { status: 403 } });
        },
      };
    },
  };
}
