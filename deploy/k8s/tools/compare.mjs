// Compares tools/kustomize.mjs's rendering of a kustomization with the real kustomize's
// (`kubectl kustomize <dir>`, given as a file), object by object, ignoring key order and the
// order of the objects. validate.sh runs it where kubectl is installed.
//   node tools/compare.mjs <kustomization dir> <kubectl kustomize output file>
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { render } from './kustomize.mjs';

const sorted = (v) =>
  Array.isArray(v)
    ? v.map(sorted)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sorted(v[k])]),
        )
      : v;
const idOf = (o) => `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/** Returns one line per object that differs or exists on one side only. */
export function compare(ours, theirs) {
  const a = new Map(ours.map((o) => [idOf(o), JSON.stringify(sorted(o))]));
  const b = new Map(theirs.map((o) => [idOf(o), JSON.stringify(sorted(o))]));
  const problems = [];
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    if (!a.has(id)) problems.push(`${id}: only in kubectl kustomize's rendering`);
    else if (!b.has(id)) problems.push(`${id}: only in tools/kustomize.mjs's rendering`);
    else if (a.get(id) !== b.get(id))
      problems.push(`${id}: differs\n    ours:    ${a.get(id)}\n    kubectl: ${b.get(id)}`);
  }
  return problems;
}

const [dir, file] = process.argv.slice(2);
const theirs = parseAllDocuments(readFileSync(file, 'utf8'))
  .map((d) => d.toJS())
  .filter((o) => o !== null && o !== undefined);
const problems = compare(render(resolve(dir)), theirs);
for (const p of problems) console.error(`DIFFERENT ${dir}: ${p}`);
if (problems.length > 0) process.exit(1);
console.log(`${dir}: same ${theirs.length} objects as kubectl kustomize`);
