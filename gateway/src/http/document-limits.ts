/**
 * The document limits have one owner, libs/platform (graphql/document-limits.ts): the subgraphs
 * apply the same ones. The gateway imports them through here.
 */
export { documentLimits, type QueryLimits } from '@thankstar/platform';
