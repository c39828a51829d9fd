#!/usr/bin/env bash
# `npm test`: every check and every test, against real Postgres, Kafka and Chromium.
# Installs and starts what is missing first. Ends with `tests: N passed, M failed`, where the
# static checks (types, lint, supergraph composition, compose file, manifests) count as tests too.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$root"
mkdir -p .run
passed=0
failed=0
failures=()

step() { # step <name> <command...>
  local name=$1
  shift
  echo "==> $name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "    ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "    FAILED ($((SECONDS - start)) s)"
  fi
}

# Node 24 first on PATH for everything below (deploy/local/node.sh installs it when missing).
node_bin="$(bash deploy/local/node.sh)" || { echo "tests: 0 passed, 1 failed (Node 24)"; exit 1; }
export PATH="$node_bin:$PATH"
echo "==> Node $(node -v), npm $(npm -v)"
bash deploy/local/install.sh || { echo "tests: 0 passed, 1 failed (install)"; exit 1; }
bash deploy/local/up.sh || { echo "tests: 0 passed, 1 failed (infrastructure)"; exit 1; }
# The project's PostgreSQL role where the cluster does not trust local connections (postgres-up.sh).
source deploy/local/pg-env.sh

step "typecheck and build (tsc -b)" npx tsc -b tsconfig.build.json
step "supergraph composes (gateway compose --strict)" npm run --silent -w gateway compose -- --strict
step "lint and format (biome ci)" npx biome ci --reporter=summary .
step "docker-compose.yml is valid" docker-compose -f docker-compose.yml config -q
if [ -x deploy/k8s/validate.sh ]; then step "Kubernetes manifests are valid" bash deploy/k8s/validate.sh; fi

echo "==> vitest (unit + integration + end to end)"
npx vitest run --reporter=default --reporter=json --outputFile=.run/vitest.json
read -r vp vf < <(node -e '
  const r = require("./.run/vitest.json");
  console.log(r.numPassedTests, r.numFailedTests + (r.numTotalTestSuites && !r.success && r.numFailedTests === 0 ? 1 : 0));
' 2>/dev/null || echo "0 1")
passed=$((passed + vp))
failed=$((failed + vf))
[ "$vf" -eq 0 ] || failures+=("vitest: $vf failed")

if [ -f admin-ui/test/run.sh ]; then
  echo "==> admin UI end to end (Chromium)"
  if out=$(bash admin-ui/test/run.sh); then :; fi
  echo "$out"
  read -r up uf < <(echo "$out" | sed -n 's/^ui-tests: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' | tail -1)
  passed=$((passed + ${up:-0}))
  failed=$((failed + ${uf:-1}))
fi

[ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[@]}"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
