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

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives: number;
}

/**
 * The one definition of how big a GraphQL document may be, for POST /graphql (Apollo plugins and
 * validation rules) and for documents sent over graphql-ws (checkDocument), so a socket cannot
 * send what HTTP refuses.
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

const refused = (message: string) => new GraphQLError(message, { extensions: { code: 'DOCUMENT_REFUSED' } });
