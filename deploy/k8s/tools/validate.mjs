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
    // Prometheus Operator's kinds (ServiceMonitor, PodMonitor) have their own models package.
    const pkg = o.apiVersion.startsWith('monitoring.coreos.com/')
      ? '@kubernetes-models/prometheus-operator'
      : 'kubernetes-models';
    mod = await import(`${pkg}/${o.apiVersion}/${o.kind}`);
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
    // An app that must never run twice at once (the SIP listener: one registration per
    // extension) says why in this annotation: one replica, Recreate, and no autoscaler.
    if (d.metadata.annotations?.['thankstar.jp/single-replica']) {
      if (d.spec.replicas !== 1) errors.push(`${where}: single-replica but replicas is ${d.spec.replicas}`);
      if (d.spec.strategy?.type !== 'Recreate')
        errors.push(`${where}: single-replica needs strategy Recreate (a rolling update runs two at once)`);
      if (hpa) errors.push(`${where}: single-replica but HorizontalPodAutoscaler/${hpa.metadata.name} scales it`);
    } else if (!hpa) errors.push(`${where}: no HorizontalPodAutoscaler`);
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

  errors.push(...subgraphReachErrors(objects), ...ingressErrors(objects), ...monitorErrors(objects));
  errors.push(...migrationJobErrors(objects));

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

// The pods that serve a subgraph's GraphQL on their http port (app.kubernetes.io/name).
const subgraphPods = ['telephony', 'telephony-sip', 'customers', 'billing', 'licensing'];

// Besides the gateway, who may open a connection to a subgraph's http port, and why. Anything
// else the NetworkPolicies let in is an error. (docs/security.md, "Subgraphs: defence in depth")
export const subgraphPeerExceptions = {
  'namespace:monitoring': 'Prometheus scrapes /metrics',
  'namespace:ingress-nginx telephony': 'the public webhooks; base/ingress.yaml routes only those paths',
  'pod:admin-ui customers': "admin-ui's nginx forwards only /v1/customers/import (streamed CSV)",
  'pod:admin-ui billing': "admin-ui's nginx forwards only /v1/invoices/ (PDFs)",
  'pod:telephony licensing': 'token keys (/.well-known/jwks.json)',
  'pod:telephony-sip licensing': 'token keys (/.well-known/jwks.json)',
  'pod:customers licensing': 'token keys (/.well-known/jwks.json)',
  'pod:billing licensing': 'token keys (/.well-known/jwks.json)',
};

const exactSelector = (sel) =>
  sel && !sel.matchExpressions?.length && Object.keys(sel.matchLabels ?? {}).length > 0 ? sel.matchLabels : null;

/** The peers one NetworkPolicy `from` entry admits, as `pod:<name>` / `namespace:<name>`, or a problem. */
function peerOf(from) {
  if (from.ipBlock) return { problem: `ipBlock ${from.ipBlock.cidr} (addresses in and outside the cluster)` };
  if (from.namespaceSelector) {
    const ns = exactSelector(from.namespaceSelector)?.['kubernetes.io/metadata.name'];
    if (!ns) return { problem: `namespaceSelector ${JSON.stringify(from.namespaceSelector)} (many namespaces)` };
    return { peer: `namespace:${ns}` };
  }
  const name = exactSelector(from.podSelector)?.['app.kubernetes.io/name'];
  if (!name) return { problem: `podSelector ${JSON.stringify(from.podSelector ?? {})} (many pods)` };
  return { peer: `pod:${name}` };
}

/**
 * From the NetworkPolicies, who can reach each subgraph's http port: only the gateway and the
 * listed exceptions. A subgraph pod that no Ingress policy selects is open to every pod.
 */
export function subgraphReachErrors(objects) {
  const errors = [];
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  for (const d of objects.filter((o) => o.kind === 'Deployment')) {
    const labels = d.spec.template.metadata?.labels ?? {};
    const app = labels['app.kubernetes.io/name'];
    if (!subgraphPods.includes(app)) continue;
    const httpPort = d.spec.template.spec.containers
      .flatMap((c) => c.ports ?? [])
      .find((p) => p.name === 'http')?.containerPort;
    const selecting = policies.filter(
      (p) =>
        (p.spec.policyTypes ?? ['Ingress']).includes('Ingress') &&
        Object.entries(p.spec.podSelector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
        !p.spec.podSelector?.matchExpressions?.length,
    );
    if (selecting.length === 0) {
      errors.push(`Deployment/${d.metadata.name}: no NetworkPolicy selects its pods: every pod can reach the subgraph`);
      continue;
    }
    for (const policy of selecting) {
      for (const rule of policy.spec.ingress ?? []) {
        const coversHttp =
          !rule.ports?.length ||
          rule.ports.some((p) => p.port === undefined || p.port === 'http' || p.port === httpPort);
        if (!coversHttp) continue;
        const where = `NetworkPolicy/${policy.metadata.name} -> ${app} http`;
        if (!rule.from?.length) {
          errors.push(`${where}: a rule without "from" admits everyone`);
          continue;
        }
        for (const from of rule.from) {
          const { peer, problem } = peerOf(from);
          if (problem) errors.push(`${where}: ${problem} can reach the subgraph`);
          else if (peer !== 'pod:gateway' && !subgraphPeerExceptions[peer] && !subgraphPeerExceptions[`${peer} ${app}`])
            errors.push(`${where}: ${peer} can reach the subgraph (only the gateway and the listed exceptions may)`);
        }
      }
    }
  }
  return errors;
}

// The only paths of a subgraph that the public Ingress may route (telephony's webhooks).
const publicSubgraphPaths = { telephony: ['/v1/calls/events', '/v1/twilio'] };

/** Every Ingress backend is a rendered Service and port; subgraphs only on their public paths. */
export function ingressErrors(objects) {
  const errors = [];
  const services = new Map(objects.filter((o) => o.kind === 'Service').map((s) => [s.metadata.name, s]));
  for (const ing of objects.filter((o) => o.kind === 'Ingress')) {
    for (const rule of ing.spec.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const where = `Ingress/${ing.metadata.name} ${path.path}`;
        const backend = path.backend?.service;
        const svc = services.get(backend?.name);
        if (!svc) {
          errors.push(`${where}: Service ${backend?.name} is not part of the rendered manifests`);
          continue;
        }
        if (!svc.spec.ports.some((p) => p.name === backend.port?.name || p.port === backend.port?.number))
          errors.push(`${where}: Service ${svc.metadata.name} has no port ${JSON.stringify(backend.port)}`);
        if (subgraphPods.includes(svc.metadata.name)) {
          const allowed = publicSubgraphPaths[svc.metadata.name] ?? [];
          if (!allowed.includes(path.path))
            errors.push(
              `${where}: routes the subgraph ${svc.metadata.name} to the internet (only ${allowed.join(', ') || 'nothing'})`,
            );
        }
        if (path.path.startsWith('/metrics')) errors.push(`${where}: /metrics must stay inside the cluster`);
      }
    }
  }
  return errors;
}

// Deployments without /metrics, and why.
const noMetrics = { gateway: 'no /metrics yet (docs/operations.md, "Metrics")', 'admin-ui': 'static nginx' };

/** Every app with /metrics is scraped: a ServiceMonitor on a Service that selects it, or a PodMonitor. */
export function monitorErrors(objects) {
  const errors = [];
  const services = objects.filter((o) => o.kind === 'Service');
  for (const d of objects.filter((o) => o.kind === 'Deployment')) {
    const labels = d.spec.template.metadata?.labels;
    if (noMetrics[labels?.['app.kubernetes.io/name']]) continue;
    const byService = objects.some(
      (m) =>
        m.kind === 'ServiceMonitor' &&
        services.some(
          (s) =>
            selects(m.spec.selector?.matchLabels, s.metadata.labels) &&
            selects(s.spec.selector, labels) &&
            m.spec.endpoints?.some((e) => e.path === '/metrics' && s.spec.ports.some((p) => p.name === e.port)),
        ),
    );
    const byPod = objects.some(
      (m) =>
        m.kind === 'PodMonitor' &&
        selects(m.spec.selector?.matchLabels, labels) &&
        m.spec.podMetricsEndpoints?.some((e) => e.path === '/metrics'),
    );
    if (!byService && !byPod)
      errors.push(`Deployment/${d.metadata.name}: no ServiceMonitor or PodMonitor scrapes its /metrics`);
  }
  return errors;
}

/**
 * Migration Jobs in a deployable rendering (an overlay, with a namespace and pinned images) are
 * named after their image tag, so a new release is a new Job (overlays/production/kustomization.yaml).
 */
export function migrationJobErrors(objects) {
  const errors = [];
  for (const j of objects.filter((o) => o.kind === 'Job')) {
    const name = j.metadata.name;
    if (name.length > 63 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name))
      errors.push(`Job/${name}: not a valid Job name (lower case, digits, '-', '.'; at most 63)`);
    if (j.metadata.labels?.['app.kubernetes.io/component'] !== 'migration' || !j.metadata.namespace) continue;
    const image = j.spec.template.spec.containers[0]?.image ?? '';
    const tag = image.slice(image.lastIndexOf(':') + 1);
    if (!name.endsWith(`-${tag}`))
      errors.push(`Job/${name}: a migration Job's name must end with its image tag (${tag}) to run again on upgrade`);
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
