import fc from 'fast-check';
import { buildSchema } from 'graphql/index.js';
import { describe, expect, it } from 'vitest';
import { defaultQueryLimits, documentLimits, queryLimitsFromEnv, subgraphQueryLimits } from './document-limits';

const schema = buildSchema('type Node { id: ID!, next: Node } type Query { node: Node }');
/** A document `levels` fields deep: node, next… and id. */
const nested = (levels: number) => `{ node ${'{ next '.repeat(levels - 2)}{ id }${' }'.repeat(levels - 2)} }`;
const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: node { id }`).join(' ')} }`;

describe('document limits', () => {
  it('refuses one level or one alias past the limit, and accepts the limit itself', () => {
    const { checkDocument } = documentLimits(defaultQueryLimits);
    expect(Array.isArray(checkDocument(schema, nested(defaultQueryLimits.maxDepth)))).toBe(false);
    expect(checkDocument(schema, nested(defaultQueryLimits.maxDepth + 1))).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'DOCUMENT_REFUSED' }) }),
    ]);
    expect(Array.isArray(checkDocument(schema, aliased(defaultQueryLimits.maxAliases)))).toBe(false);
    expect(Array.isArray(checkDocument(schema, aliased(defaultQueryLimits.maxAliases + 1)))).toBe(true);
  });

  it('gives subgraphs the gateway’s depth, alias, cost and directive limits, and never a smaller token cap', () => {
    const positive = fc.integer({ min: 1, max: 1_000_000 });
    fc.assert(
      fc.property(
        fc.record({
          maxDepth: positive,
          maxAliases: positive,
          maxCost: positive,
          maxTokens: positive,
          maxDirectives: positive,
        }),
        (limits) => {
          const sub = subgraphQueryLimits(limits);
          expect({ ...sub, maxTokens: 0 }).toEqual({ ...limits, maxTokens: 0 });
          expect(sub.maxTokens).toBeGreaterThanOrEqual(limits.maxTokens);
        },
      ),
    );
  });

  it('reads GATEWAY_MAX_* and names a bad one', () => {
    expect(queryLimitsFromEnv({})).toEqual(defaultQueryLimits);
    expect(queryLimitsFromEnv({ GATEWAY_MAX_DEPTH: '7', GATEWAY_MAX_ALIASES: '0' })).toMatchObject({
      maxDepth: 7,
      maxAliases: 0,
    });
    expect(() => queryLimitsFromEnv({ GATEWAY_MAX_DEPTH: '0' })).toThrow(/GATEWAY_MAX_DEPTH/);
    expect(() => queryLimitsFromEnv({ GATEWAY_MAX_COST: '1.5' })).toThrow(/GATEWAY_MAX_COST/);
  });
});
