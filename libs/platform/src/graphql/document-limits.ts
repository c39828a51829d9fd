import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from 'graphql/index.js';
import { catalogueGraphQLError } from '../errors/error-filters';
import { documentRefusalReason } from './document-refusal';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives: number;
}

/** The API's document limits (docs/security.md); GATEWAY_MAX_* override them for the gateway and every subgraph. */
export const defaultQueryLimits: QueryLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxCost: 5_000,
  maxTokens: 2_000,
  maxDirectives: 20,
};

/**
 * The limits from the environment. The variables keep their GATEWAY_ names: the gateway and the
 * subgraphs read the same ones from the same ConfigMap, so they cannot drift apart. A bad value
 * stops the process naming the variable.
 */
export function queryLimitsFromEnv(
  env: Record<string, string | undefined> = process.env,
  defaults: QueryLimits = defaultQueryLimits,
): QueryLimits {
  const int = (name: string, fallback: number, min = 1) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min || value > 1e9) {
      throw new Error(`${name} must be a whole number from ${min} to 1000000000; got "${raw}"`);
    }
    return value;
  };
  return {
    maxDepth: int('GATEWAY_MAX_DEPTH', defaults.maxDepth),
    maxAliases: int('GATEWAY_MAX_ALIASES', defaults.maxAliases, 0),
    maxCost: int('GATEWAY_MAX_COST', defaults.maxCost),
    maxTokens: int('GATEWAY_MAX_TOKENS', defaults.maxTokens),
    maxDirectives: int('GATEWAY_MAX_DIRECTIVES', defaults.maxDirectives, 0),
  };
}

/**
 * What a subgraph allows: the same depth, alias, cost and directive limits as the gateway, so a
 * document sent straight to a subgraph meets the gateway's limits. Only the token cap has room:
 * the gateway's own fetches add `__typename` and key fields to selection sets and may inline
 * fragments, so a client document just under the cap can become a longer subgraph document.
 * A query plan's fetch is never deeper than the client's document (an entity fetch replaces the
 * root field it hangs from with `_entities`), nor more aliased or costly.
 */
export function subgraphQueryLimits(limits: QueryLimits): QueryLimits {
  return { ...limits, maxTokens: limits.maxTokens * 2 };
}

/**
 * The one definition of how big a GraphQL document may be, for the gateway's POST /graphql (Apollo
 * plugins and validation rules), for documents sent over graphql-ws (checkDocument), so a socket
 * cannot send what HTTP refuses, and for every subgraph (PlatformModule), so a document sent
 * straight to a subgraph cannot either.
 */
export function documentLimits(limits: QueryLimits) {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    costLimit: { maxCost: limits.maxCost },
    // Not armor's token plugin: it throws from Apollo's parsingDidStart hook, outside the parse
    // step's error handling, so a long document was answered 500. graphql's own parser cap
    // (parseOptions below) fails the parse step itself: 400 GRAPHQL_PARSE_FAILED.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  // graphql's own token cap: the parser stops at the limit instead of building a huge AST, and
  // Apollo answers a parse failure 400 with GRAPHQL_PARSE_FAILED.
  const parseOptions = { maxTokens: limits.maxTokens };

  const rules: ValidationRule[] = [...specifiedRules, ...armor.validationRules];

  /** The parsed document, or the errors that refuse it (code DOCUMENT_REFUSED). */
  const checkDocument = (schema: GraphQLSchema, query: unknown): DocumentNode | readonly GraphQLError[] => {
    if (typeof query !== 'string') return [refused('The subscription needs a query string.')];
    let document: DocumentNode;
    try {
      document = parse(query, parseOptions);
    } catch (err) {
      return [refused(err instanceof GraphQLError ? err.message : 'The document could not be parsed.')];
    }
    const errors = validate(schema, document, rules);
    return errors.length > 0 ? errors.map((e) => refused(e.message)) : document;
  };

  return { plugins: armor.plugins, validationRules: armor.validationRules, parseOptions, checkDocument };
}

// graphql-armor and graphql-js word their refusals in English: the reason is said in Japanese
// (document-refusal.ts), the library's English kept for integrators.
const refused = (message: string) =>
  catalogueGraphQLError('DOCUMENT_REFUSED', { reason: documentRefusalReason(message) });
