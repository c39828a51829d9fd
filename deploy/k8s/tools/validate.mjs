// Renders every kustomization under deploy/k8s (the base and each overlay) and checks each
// object offline against the Kubernetes OpenAPI schemas shipped in kubernetes-models, then
// against our own deployment rules (probes, resources, autoscaling, disruption budgets, no
// committed secret values, consumers never outnumbering partitions).
//   node tools/validate.mjs [k8s dir]          validate; exit 1 on any problem
//   node tools/validate.mjs --print <dir>      print the rendered YAML (what kubectl would apply)
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { render } from './kustomize.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** The kustomizations to render: base plus every overlay. */
export function targets(k8sDir) {
  const overlays = join(k8sDir, 'overlays');
  return [
    join(k8sDir, 'base'),
    ...(existsSync(overlays) ? readdirSync(overlays).map((d) => join(overlays, d)) : []),
  ].filter((d) => existsSync(join(d, 'kustomization.yaml')));
}

async function schemaErrors(o) {
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') return ['missing apiVersion or kind'];
  let mod;
  try {
    mod = await import(`kubernetes-models/${o.apiVersion}/${o.kind}`);
  } catch {
    return [`unknown apiVersion/kind ${o.apiVersion} ${o.kind}`];
  }
  const Model = mod[o.kind];
  try {
    new Model(o).validate();
    return [];
  } catch (err) {
    return [String(err instanceof Error ? err.message : err)];
  }
}

const podTemplate = (o) => (o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template : o.spec?.template);
const selects = (selector, labels) =>
  !!selector && Object.entries(selector).every(([k, v]) => labels?.[k] === v) && Object.keys(selector).length > 0;

/** Our rules on top of the schemas. Returns human-readable problems. */
export function policyErrors(objects) {
  const errors = [];
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const configMaps = new Map(byKind('ConfigMap').map((c) => [c.metadata.name, c]));

  for (const s of byKind('Secret')) {
    if (s.data || s.stringData) errors.push(`Secret/${s.metadata.name}: secret values must not be committed`);
  }

  for (const o of objects) {
    const template = podTemplate(o);
    if (!template) continue;
    const spec = template.spec ?? {};
    const where = `${o.kind}/${o.metadata.name}`;
    if (spec.securityContext?.runAsNonRoot !== true) errors.push(`${where}: pod must set runAsNonRoot: true`);
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const at = `${where} container ${c.name}`;
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory)
        errors.push(`${at}: needs cpu and memory requests`);
      if (!c.resources?.limits?.memory) errors.push(`${at}: needs a memory limit`);
      if (c.securityContext?.allowPrivilegeEscalation !== false)
        errors.push(`${at}: must set allowPrivilegeEscalation: false`);
      if (/:latest$|^[^:@]+$/.test(c.image) && o.metadata.namespace) {
        errors.push(`${at}: image ${c.image} is not pinned (overlays must set a tag)`);
      }
      for (const ref of [
        ...(c.envFrom ?? []).map((e) => e.configMapRef?.name),
        ...(c.env ?? []).map((e) => e.valueFrom?.configMapKeyRef?.name),
      ]) {
        if (ref && !configMaps.has(ref)) errors.push(`${at}: ConfigMap ${ref} is not part of the rendered manifests`);
      }
      for (const e of c.env ?? []) {
        const key = e.valueFrom?.configMapKeyRef;
        if (key && configMaps.get(key.name) && !(key.key in (configMaps.get(key.name).data ?? {}))) {
          errors.push(`${at}: ConfigMap ${key.name} has no key ${key.key}`);
        }
      }
    }
    for (const v of spec.volumes ?? []) {
      if (v.configMap && !configMaps.has(v.configMap.name))
        errors.push(`${where}: volume ConfigMap ${v.configMap.name} is missing`);
    }
    if (o.kind === 'Job' && !['Never', 'OnFailure'].includes(spec.restartPolicy)) {
      errors.push(`${where}: a Job's restartPolicy must be Never or OnFailure`);
    }
  }

  const hpas = byKind('HorizontalPodAutoscaler');
  const pdbs = byKind('PodDisruptionBudget');
  for (const d of byKind('Deployment')) {
    const where = `Deployment/${d.metadata.name}`;
    const labels = d.spec.template.metadata?.labels;
    if (!selects(d.spec.selector?.matchLabels, labels)) errors.push(`${where}: selector does not match the pod labels`);
    for (const c of d.spec.template.spec.containers) {
      if (!c.livenessProbe?.httpGet?.path) errors.push(`${where} container ${c.name}: needs an HTTP liveness probe`);
      if (!c.readinessProbe?.httpGet?.path) errors.push(`${where} container ${c.name}: needs an HTTP readiness probe`);
      const ports = new Set((c.ports ?? []).map((p) => p.name));
      for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
        const port = probe?.httpGet?.port;
        if (typeof port === 'string' && !ports.has(port))
          errors.push(`${where} container ${c.name}: probe port ${port} is not declared`);
      }
    }
    const hpa = hpas.find(
      (h) => h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === d.metadata.name,
    );
    if (!hpa) errors.push(`${where}: no HorizontalPodAutoscaler`);
    else if (hpa.spec.minReplicas > hpa.spec.maxReplicas)
      errors.push(`HorizontalPodAutoscaler/${hpa.metadata.name}: minReplicas > maxReplicas`);
    if (!pdbs.some((p) => selects(p.spec.selector?.matchLabels, labels)))
      errors.push(`${where}: no PodDisruptionBudget`);
  }
  for (const s of byKind('Service')) {
    const targets = byKind('Deployment').filter((d) => selects(s.spec.selector, d.spec.template.metadata?.labels));
    if (targets.length === 0) errors.push(`Service/${s.metadata.name}: selects no Deployment`);
    for (const p of s.spec.ports ?? []) {
      if (typeof p.targetPort !== 'string') continue;
      const declared = targets.some((d) =>
        d.spec.template.spec.containers.some((c) => c.ports?.some((cp) => cp.name === p.targetPort)),
      );
      if (targets.length > 0 && !declared)
        errors.push(`Service/${s.metadata.name}: targetPort ${p.targetPort} is not a container port`);
    }
  }

  // A consumer group uses at most one member per partition: more replicas than partitions idle.
  const topicsJob = byKind('Job').find((j) => j.metadata.name === 'kafka-topics');
  const partitions = Number(
    topicsJob?.spec.template.spec.containers[0].env?.find((e) => e.name === 'PARTITIONS')?.value ?? Number.NaN,
  );
  if (!topicsJob) errors.push('Job/kafka-topics: the topic definitions job is missing');
  else if (!Number.isInteger(partitions) || partitions < 1)
    errors.push('Job/kafka-topics: PARTITIONS must be a positive integer');
  else {
    for (const name of ['telephony', 'customers', 'billing']) {
      const hpa = hpas.find((h) => h.spec.scaleTargetRef.name === name);
      if (hpa && hpa.spec.maxReplicas > partitions) {
        errors.push(
          `HorizontalPodAutoscaler/${name}: maxReplicas ${hpa.spec.maxReplicas} exceeds the ${partitions} topic partitions`,
        );
      }
    }
  }
  return errors;
}

/** Validates every kustomization under k8sDir; returns the problems found, one line each. */
export async function validateTree(k8sDir) {
  const problems = [];
  const dirs = targets(k8sDir);
  if (dirs.length === 0) problems.push(`${k8sDir}: no kustomization found`);
  for (const dir of dirs) {
    const name = relative(k8sDir, dir);
    let objects;
    try {
      objects = render(dir);
    } catch (err) {
      problems.push(`${name}: render failed: ${err instanceof Error ? err.message : err}`);
      continue;
    }
    for (const o of objects) {
      for (const e of await schemaErrors(o)) problems.push(`${name}: ${o.kind}/${o.metadata?.name}: ${e}`);
    }
    for (const e of policyErrors(objects)) problems.push(`${name}: ${e}`);
    console.log(`${name}: ${objects.length} objects rendered`);
  }
  return problems;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  if (args[0] === '--print') {
    const objects = render(resolve(args[1] ?? join(here, '../overlays/production')));
    process.stdout.write(objects.map((o) => stringify(o)).join('---\n'));
  } else {
    const problems = await validateTree(resolve(args[0] ?? join(here, '..')));
    for (const p of problems) console.error(`INVALID ${p}`);
    if (problems.length > 0) process.exit(1);
    console.log('all manifests valid');
  }
}
