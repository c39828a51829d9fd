import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql/index.js';

/** The gateway package folder, whether running from src (tests) or dist. */
function gatewayRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@thankstar/gateway') {
      return dir;
    }
  }
  throw new Error('gateway package root not found');
}

export const gatewayDir = gatewayRoot();
export const supergraphPath = join(gatewayDir, 'supergraph.graphql');

export function loadSupergraphSdl(path: string = supergraphPath): string {
  return readFileSync(path, 'utf8');
}

/** The schema clients see: the supergraph without its federation machinery. */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}
