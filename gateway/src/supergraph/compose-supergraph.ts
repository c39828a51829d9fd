import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql/index.js';

/** The four subgraphs, in the order the supergraph lists them. */
export const subgraphNames = ['telephony', 'customers', 'billing', 'licensing'] as const;
export type SubgraphName = (typeof subgraphNames)[number];

/**
 * The composed file names each subgraph by a placeholder URL; the running gateway replaces it
 * with the URL from its environment, so one supergraph file serves every deployment.
 */
export const placeholderUrl = (name: string): string => `http://${name}.subgraph.invalid/graphql`;

export type ComposeOutcome =
  | { ok: true; supergraphSdl: string; missing: SubgraphName[]; hints: string[] }
  | { ok: false; errors: string[]; missing: SubgraphName[] };

/**
 * Composes the supergraph from `services/<name>/schema.graphql`. A subgraph whose SDL does not
 * exist yet is left out (and reported as missing) unless `strict`, where it is an error.
 */
export function composeSupergraph(servicesDir: string, strict: boolean): ComposeOutcome {
  const missing: SubgraphName[] = [];
  const services = [];
  const errors: string[] = [];
  for (const name of subgraphNames) {
    const file = join(servicesDir, name, 'schema.graphql');
    if (!existsSync(file)) {
      missing.push(name);
      continue;
    }
    try {
      services.push({ name, url: placeholderUrl(name), typeDefs: parse(readFileSync(file, 'utf8')) });
    } catch (err) {
      errors.push(`${name}: ${file} does not parse: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (strict) for (const name of missing) errors.push(`${name}: services/${name}/schema.graphql does not exist`);
  if (errors.length > 0) return { ok: false, errors, missing };
  if (services.length === 0) return { ok: false, errors: ['no subgraph schema found'], missing };

  const result = composeServices(services);
  if (result.errors) {
    return { ok: false, errors: result.errors.map((e) => e.message), missing };
  }
  return { ok: true, supergraphSdl: result.supergraphSdl, missing, hints: result.hints.map((h) => h.toString()) };
}
