#!/usr/bin/env node
// `npm run docs:api`: writes docs/api/openapi.yaml and docs/api/asyncapi.yaml from the build output
// (run `npx tsc -b tsconfig.build.json` first). `--check` writes nothing and exits 1 when a file differs.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildApiDocs } from './api-docs-lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** `services/<name>/src/x` → the compiled `services/<name>/dist/src/x.js`; packages as they are. */
const load = (spec) =>
  spec.startsWith('services/')
    ? import(pathToFileURL(join(root, `${spec.replace(/^(services\/[^/]+)\/src\//, '$1/dist/src/')}.js`)).href)
    : import(spec);

const files = await buildApiDocs(load);
const check = process.argv.includes('--check');
let stale = 0;
for (const [path, text] of Object.entries(files)) {
  const current = await readFile(join(root, path), 'utf8').catch(() => null);
  if (current === text) continue;
  if (check) {
    stale += 1;
    console.error(`${path} differs from what the zod schemas give: run npm run docs:api`);
  } else {
    await writeFile(join(root, path), text);
    console.log(`wrote ${path}`);
  }
}
process.exit(stale ? 1 : 0);
