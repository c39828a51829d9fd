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

echo "== broken copies must be rejected"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

# broken <name> <file relative to deploy/k8s> <command run on that file in the copy>
broken() {
  local name="$1" file="$2" edit="$3" copy="$work/$1"
  mkdir -p "$copy"
  cp -r base overlays "$copy/"
  (cd "$copy" && eval "$edit \"$file\"")
  if cmp -s "$file" "$copy/$file"; then
    echo "  self-test '$name': the edit changed nothing" >&2
    failures=$((failures + 1))
  elif out="$(node tools/validate.mjs "$copy" 2>&1)"; then
    echo "  NOT REJECTED: $name" >&2
    failures=$((failures + 1))
  else
    echo "  rejected: $name -> $(grep -m1 INVALID <<<"$out")"
  fi
}

broken "replicas is not an integer" base/apps/telephony.yaml "sed -i 's/replicas: 2/replicas: two/'"
broken "probe without a port" base/apps/customers.yaml "sed -i '0,/httpGet: { path: \/health\/live, port: http }/s//httpGet: { path: \/health\/live }/'"
broken "no readiness probe" base/apps/billing.yaml "sed -i '/readinessProbe:/,/failureThreshold: 2/d'"
broken "unknown kind" base/config.yaml "sed -i 's/kind: ConfigMap/kind: ConfigMapp/'"
broken "secret value committed" base/config.yaml "printf '%s\n' '---' 'apiVersion: v1' 'kind: Secret' 'metadata: { name: leaked }' 'stringData: { url: postgres://u:p@db/x }' >>"
broken "more consumers than partitions" overlays/production/call-path-autoscaling.yaml "sed -i 's/value: 12/value: 24/'"
broken "overlay patches a missing object" overlays/production/kafka-topics.yaml "sed -i 's/name: kafka-topics$/name: kafka-topic/'"
broken "YAML syntax error" base/apps/gateway.yaml "sed -i 's/^spec:$/spec: [/'"

if ((failures > 0)); then
  echo "validate.sh self-test: $failures broken cop(y/ies) were not rejected" >&2
  exit 1
fi
echo "deploy/k8s: valid, and all broken copies rejected"
