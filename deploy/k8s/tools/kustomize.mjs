// A small renderer for the subset of kustomize that deploy/k8s uses, so the manifests can be
// rendered and validated offline (neither kubectl nor kustomize is installed on our machines).
// Supported: resources (files and directories with a kustomization), namespace, labels,
// images, patches (strategic merge by apiVersion/kind/name, or JSON 6902 with a target),
// configMapGenerator with files/literals and replacements (source and targets selected by kind
// and name, field paths with `[name=x]` list selectors, delimiter/index options). Hash suffixes are not supported, so generators must
// set `options.disableNameSuffixHash: true`; anything else unsupported is an error, never
// silently ignored, so the real kustomize renders the same objects.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

const supported = new Set([
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'labels',
  'images',
  'patches',
  'configMapGenerator',
  'replacements',
]);

// Kinds our manifests use that are cluster-scoped (no namespace is set on them).
const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass', 'StorageClass']);

export function readYamlFile(path) {
  return parseYaml(readFileSync(path, 'utf8'), path);
}

function parseYaml(text, source) {
  const out = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

function kustomizationFile(dir) {
  for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`${dir}: no kustomization.yaml`);
}

const idOf = (o) => `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/** Renders the kustomization in `dir` into a list of objects. */
export function render(dir) {
  const file = kustomizationFile(resolve(dir));
  const root = dirname(file);
  const [k] = readYamlFile(file);
  for (const key of Object.keys(k ?? {})) {
    if (!supported.has(key)) throw new Error(`${file}: field "${key}" is not supported by tools/kustomize.mjs`);
  }
  let objects = [];
  for (const entry of k.resources ?? []) {
    const p = resolve(root, entry);
    if (!existsSync(p)) throw new Error(`${file}: resource ${entry} does not exist`);
    objects.push(...(statSync(p).isDirectory() ? render(p) : readYamlFile(p)));
  }
  for (const gen of k.configMapGenerator ?? []) objects.push(configMapFrom(gen, root, file));

  const seen = new Set();
  for (const o of objects) {
    const id = idOf(o);
    if (seen.has(id)) throw new Error(`${file}: ${id} is defined twice`);
    seen.add(id);
  }

  for (const patch of k.patches ?? []) objects = applyPatch(objects, patch, root, file);
  for (const image of k.images ?? []) for (const o of objects) setImage(o, image);
  for (const label of k.labels ?? []) for (const o of objects) addLabels(o, label);
  if (k.namespace) {
    for (const o of objects) if (!clusterScoped.has(o.kind)) o.metadata.namespace = k.namespace;
  }
  for (const r of k.replacements ?? []) replace(objects, r, file);
  return objects;
}

const only = (o, keys, where) => {
  for (const key of Object.keys(o ?? {})) {
    if (!keys.includes(key)) throw new Error(`${where}: "${key}" is not supported by tools/kustomize.mjs`);
  }
};

/** `a.b.[name=x].c.0`: the node at that path, or undefined. */
function fieldAt(o, path) {
  let node = o;
  for (const part of splitPath(path)) {
    if (node === undefined || node === null) return undefined;
    const sel = /^\[(.+)=(.*)\]$/.exec(part);
    node = sel ? node.find?.((item) => String(item?.[sel[1]]) === sel[2]) : node[part];
  }
  return node;
}

function setField(o, path, value, where) {
  const parts = splitPath(path);
  const last = parts.pop();
  const parent = fieldAt(o, parts.join('.'));
  if (parent === undefined || parent === null || last.startsWith('[')) throw new Error(`${where}: cannot set ${path}`);
  parent[last] = value;
}

const splitPath = (path) => path.match(/\[[^\]]*\]|[^.]+/g) ?? [];

/** kustomize's delimiter/index options: pick one part, or replace one (a missing index appends). */
function withOptions(current, value, options, pick) {
  if (!options?.delimiter) return value;
  const parts = String(current).split(options.delimiter);
  if (pick) return parts[options.index ?? 0];
  const i = options.index ?? 0;
  if (i < 0) parts.unshift(value);
  else if (i >= parts.length) parts.push(value);
  else parts[i] = value;
  return parts.join(options.delimiter);
}

function replace(objects, r, file) {
  const where = `${file}: replacement`;
  only(r, ['source', 'targets'], where);
  only(r.source, ['kind', 'name', 'fieldPath', 'options'], `${where} source`);
  const sources = objects.filter((o) => o.kind === r.source.kind && o.metadata?.name === r.source.name);
  if (sources.length !== 1)
    throw new Error(`${where}: source ${r.source.kind}/${r.source.name} matches ${sources.length} objects`);
  const raw = fieldAt(sources[0], r.source.fieldPath ?? 'metadata.name');
  if (raw === undefined) throw new Error(`${where}: source has no ${r.source.fieldPath}`);
  const value = withOptions(raw, raw, r.source.options, true);
  for (const t of r.targets ?? []) {
    only(t, ['select', 'fieldPaths', 'options'], `${where} target`);
    only(t.select, ['kind', 'name'], `${where} target select`);
    const hits = objects.filter((o) => matches(o, t.select));
    if (hits.length === 0) throw new Error(`${where}: target ${t.select.kind}/${t.select.name} matches no object`);
    for (const o of hits) {
      for (const path of t.fieldPaths) {
        const current = fieldAt(o, path);
        if (current === undefined) throw new Error(`${where}: ${idOf(o)} has no ${path}`);
        setField(o, path, withOptions(current, value, t.options, false), where);
      }
    }
  }
}

function configMapFrom(gen, root, file) {
  if (gen.options?.disableNameSuffixHash !== true) {
    throw new Error(`${file}: configMapGenerator ${gen.name} must set options.disableNameSuffixHash: true`);
  }
  const data = {};
  for (const f of gen.files ?? []) {
    const [key, path] = f.includes('=') ? f.split('=') : [basename(f), f];
    data[key] = readFileSync(resolve(root, path), 'utf8');
  }
  for (const l of gen.literals ?? []) {
    const i = l.indexOf('=');
    data[l.slice(0, i)] = l.slice(i + 1);
  }
  const metadata = { name: gen.name };
  if (gen.options?.labels) metadata.labels = { ...gen.options.labels };
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data };
}

function matches(o, target) {
  return (
    (!target.kind || o.kind === target.kind) &&
    (!target.name || o.metadata?.name === target.name) &&
    (!target.labelSelector ||
      target.labelSelector.split(',').every((pair) => {
        const [key, value] = pair.split('=');
        return o.metadata?.labels?.[key] === value;
      }))
  );
}

function applyPatch(objects, patch, root, file) {
  const source = patch.path ?? 'inline patch';
  const [body] = patch.path
    ? readYamlFile(resolve(root, patch.path))
    : parseYaml(patch.patch ?? '', `${file}: ${source}`);
  if (!body) throw new Error(`${file}: ${source} is empty`);
  if (Array.isArray(body)) {
    if (!patch.target) throw new Error(`${file}: JSON 6902 patch ${source} needs a target`);
    const hits = objects.filter((o) => matches(o, patch.target));
    if (hits.length === 0) throw new Error(`${file}: ${source} matches no object`);
    for (const o of hits) for (const op of body) jsonPatch(o, op, source);
    return objects;
  }
  const target = patch.target ?? { kind: body.kind, name: body.metadata?.name };
  let hit = false;
  const out = objects.map((o) => {
    if (!matches(o, target)) return o;
    hit = true;
    return strategicMerge(o, body);
  });
  if (!hit) throw new Error(`${file}: ${source} matches no object`);
  return out;
}

/** Lists of objects with a `name` (containers, env, ports, volumes) merge by name, as kubectl does. */
export function strategicMerge(base, patch) {
  if (Array.isArray(patch)) {
    if (!Array.isArray(base) || !patch.every((p) => p && typeof p === 'object' && 'name' in p)) return clone(patch);
    // As kustomize (kyaml) orders them: the patch's items first, in its order (merged with the
    // base item of the same name), then the base items the patch does not name, in theirs.
    const merged = patch.map((item) => {
      const b = base.find((x) => x?.name === item.name);
      return b ? strategicMerge(b, item) : clone(item);
    });
    return [...merged, ...base.filter((b) => !patch.some((p) => p.name === b?.name)).map(clone)];
  }
  if (patch && typeof patch === 'object') {
    const out = base && typeof base === 'object' && !Array.isArray(base) ? { ...base } : {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = strategicMerge(out[key], value);
    }
    return out;
  }
  return patch;
}

function jsonPatch(o, op, source) {
  const parts = op.path
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = parts.pop();
  let node = o;
  for (const p of parts) {
    node = node?.[p];
    if (node === undefined) throw new Error(`${source}: path ${op.path} does not exist`);
  }
  if (op.op === 'add' || op.op === 'replace') {
    if (Array.isArray(node) && last === '-') node.push(op.value);
    else if (Array.isArray(node) && op.op === 'add') node.splice(Number(last), 0, op.value);
    else node[last] = op.value;
  } else if (op.op === 'remove') {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else {
    throw new Error(`${source}: JSON patch op ${op.op} is not supported`);
  }
}

function podSpecOf(o) {
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template?.spec;
  return o.spec?.template?.spec;
}

function setImage(o, image) {
  const spec = podSpecOf(o);
  if (!spec) return;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const at = c.image.lastIndexOf(':');
    const name = at > c.image.lastIndexOf('/') ? c.image.slice(0, at) : c.image;
    if (name !== image.name) continue;
    const tag = at > c.image.lastIndexOf('/') ? c.image.slice(at + 1) : undefined;
    const newTag = image.digest ? `@${image.digest}` : `:${image.newTag ?? tag ?? 'latest'}`;
    c.image = `${image.newName ?? name}${newTag}`;
  }
}

function addLabels(o, { pairs, includeSelectors = false, includeTemplates = false }) {
  o.metadata.labels = { ...o.metadata.labels, ...pairs };
  if (includeTemplates || includeSelectors) {
    const template = o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template : o.spec?.template;
    if (template) template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...pairs } };
  }
  if (includeSelectors) {
    if (o.spec?.selector?.matchLabels) o.spec.selector.matchLabels = { ...o.spec.selector.matchLabels, ...pairs };
    else if (o.kind === 'Service' && o.spec?.selector) o.spec.selector = { ...o.spec.selector, ...pairs };
  }
}

const clone = (v) => structuredClone(v);
