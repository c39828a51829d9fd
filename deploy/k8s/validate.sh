#!/usr/bin/env bash
# Validates deploy/k8s offline: renders the base and every overlay (tools/kustomize.mjs, the
# subset of kustomize we use) and checks each object against the Kubernetes OpenAPI schemas
# from the kubernetes-models npm package plus our deployment rules (tools/validate.mjs).
# Then proves the check can fail: each deliberately broken copy of the manifests below must be
# rejected. Exits non-zero if the real manifests are invalid or a broken copy passes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
cd "$here"

# The validator's two packages live in their own lock, outside the apps' workspaces.
if [[ ! -d node_modules/kubernetes-models || ! -d node_modules/yaml ]]; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi

echo "== deploy/k8s manifests"
node tools/validate.mjs "$here"

# tools/kustomize.mjs must render what the real kustomize renders (what `kubectl apply -k` applies).
echo "== the same objects as kubectl kustomize"
if command -v kubectl >/dev/null 2>&1; then
  rendered="$(mktemp)"
  for dir in base overlays/*/; do
    dir="${dir%/}"
    [[ -f "$dir/kustomization.yaml" ]] || continue
    kubectl kustomize "$dir" >"$rendered"
    node tools/compare.mjs "$dir" "$rendered"
  done
  rm -f "$rendered"
else
  echo "  skipped: kubectl is not installed here (the renderer alone was checked)"
fi

echo "== broken copies must be rejected"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

# broken <name> <file relative to deploy/k8s> <command run on that file in the copy> [reason]
# With a reason (an extended regex), the rejection must give that reason, not another one.
broken() {
  local name="$1" file="$2" edit="$3" reason="${4:-}" copy="$work/$1"
  mkdir -p "$copy"
  cp -r base overlays "$copy/"
  (cd "$copy" && eval "$edit \"$file\"")
  if cmp -s "$file" "$copy/$file"; then
    echo "  self-test '$name': the edit changed nothing" >&2
    failures=$((failures + 1))
  elif out="$(node tools/validate.mjs "$copy" 2>&1)"; then
    echo "  NOT REJECTED: $name" >&2
    failures=$((failures + 1))
  elif [[ -n "$reason" ]] && ! grep -qE "$reason" <<<"$out"; then
    echo "  rejected for another reason than /$reason/: $name" >&2
    echo "$out" | grep INVALID | head -3 >&2
    failures=$((failures + 1))
  else
    echo "  rejected: $name -> $(grep -m1 INVALID <<<"$out")"
  fi
}

# A NetworkPolicy appended to network-policies.yaml: <policy name> <app it selects> <ingress rule YAML>
policy() {
  printf "printf '%%s\\n' '---' 'apiVersion: networking.k8s.io/v1' 'kind: NetworkPolicy' 'metadata: { name: %s }' 'spec:' '  podSelector: { matchLabels: { app.kubernetes.io/name: %s } }' '  policyTypes: [Ingress]' '  ingress: [%s]' >>" "$1" "$2" "$3"
}

broken "replicas is not an integer" base/apps/telephony.yaml "sed -i 's/replicas: 2/replicas: two/'"
broken "probe without a port" base/apps/customers.yaml "sed -i '0,/httpGet: { path: \/health\/live, port: http }/s//httpGet: { path: \/health\/live }/'"
broken "no readiness probe" base/apps/billing.yaml "sed -i '/readinessProbe:/,/failureThreshold: 2/d'"
broken "unknown kind" base/config.yaml "sed -i 's/kind: ConfigMap/kind: ConfigMapp/'"
broken "secret value committed" base/config.yaml "printf '%s\n' '---' 'apiVersion: v1' 'kind: Secret' 'metadata: { name: leaked }' 'stringData: { url: postgres://u:p@db/x }' >>"
broken "more consumers than partitions" overlays/production/call-path-autoscaling.yaml "sed -i 's/value: 12/value: 24/'"
broken "overlay patches a missing object" overlays/production/kafka-topics.yaml "sed -i 's/name: kafka-topics$/name: kafka-topic/'"
broken "YAML syntax error" base/apps/gateway.yaml "sed -i 's/^spec:$/spec: [/'"
# Only the gateway reaches a subgraph (plus the exceptions validate.mjs lists with their reasons).
broken "telephony reachable from admin-ui" base/network-policies.yaml \
  "$(policy extra telephony '{ from: [{ podSelector: { matchLabels: { app.kubernetes.io/name: admin-ui } }}], ports: [{ port: http }] }')" \
  'pod:admin-ui can reach the subgraph'
broken "billing reachable from every pod" base/network-policies.yaml \
  "$(policy extra billing '{ from: [{ podSelector: {} }] }')" 'many pods'
broken "customers reachable from any address" base/network-policies.yaml \
  "$(policy extra customers '{ from: [{ ipBlock: { cidr: 0.0.0.0/0 } }], ports: [{ port: 4002 }] }')" 'ipBlock'
broken "licensing reachable from anyone" base/network-policies.yaml \
  "$(policy extra licensing '{ ports: [{ port: http }] }')" 'admits everyone'
broken "licensing under no policy" base/network-policies.yaml \
  "sed -i 's/matchLabels: { app.kubernetes.io\/name: licensing }$/matchLabels: { app.kubernetes.io\/name: licensing-old }/'" \
  'no NetworkPolicy selects'
broken "customers' GraphQL on the public ingress" base/ingress.yaml \
  "sed -i '0,/service: { name: gateway/s//service: { name: customers/'" 'routes the subgraph customers'
broken "SIP listener autoscaled" base/apps/telephony-sip.yaml \
  "printf '%s\n' '---' 'apiVersion: autoscaling/v2' 'kind: HorizontalPodAutoscaler' 'metadata: { name: telephony-sip }' 'spec: { scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: telephony-sip }, minReplicas: 1, maxReplicas: 2 }' >>" \
  'single-replica but HorizontalPodAutoscaler'
broken "SIP listener rolling update" base/apps/telephony-sip.yaml "sed -i 's/type: Recreate/type: RollingUpdate/'" \
  'needs strategy Recreate'
broken "SIP listener not scraped" base/monitoring.yaml \
  "sed -i 's/matchLabels: { app.kubernetes.io\/name: telephony-sip }/matchLabels: { app.kubernetes.io\/name: sip }/'" \
  'telephony-sip: no ServiceMonitor or PodMonitor'
broken "migration Jobs keep one name across releases" overlays/production/kustomization.yaml \
  "sed -i '/^replacements:/,\$d'" "must end with its image tag"

if ((failures > 0)); then
  echo "validate.sh self-test: $failures broken cop(y/ies) were not rejected" >&2
  exit 1
fi
echo "deploy/k8s: valid, and all broken copies rejected"
