import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph } from './supergraph/compose-supergraph';
import { gatewayDir, supergraphPath } from './supergraph/load-supergraph';

/**
 * `npm run compose [-- --strict]`: composes services/*\/schema.graphql into
 * gateway/supergraph.graphql. A composition error exits non-zero, so a breaking subgraph
 * change fails the build; `--strict` (CI) also fails when a subgraph has no schema.
 */
const strict = process.argv.includes('--strict');
const repoRoot = join(gatewayDir, '..');
const outcome = composeSupergraph(join(repoRoot, 'services'), strict);

if (!outcome.ok) {
  console.error(`Supergraph composition FAILED (${outcome.errors.length} error(s)):`);
  for (const error of outcome.errors) console.error(`  - ${error}`);
  process.exit(1);
}
for (const name of outcome.missing) {
  console.warn(
    `\n!!! WARNING: services/${name}/schema.graphql does not exist; the supergraph is composed WITHOUT ${name}.\n` +
      '!!! Run with --strict (CI does) to make this an error.\n',
  );
}
for (const hint of outcome.hints) console.warn(`hint: ${hint}`);
writeFileSync(supergraphPath, outcome.supergraphSdl);
console.log(`Supergraph written to ${supergraphPath} (${outcome.hints.length} composition hint(s)).`);
