#!/usr/bin/env bash
# Admin UI end to end: builds the services and the UI, starts the real stack on port base 6100 (6000 is a port browsers refuse)
# (databases *_ui), serves admin-ui/dist and drives Debian's Chromium through the scenarios.
# The last line of output is `ui-tests: N passed, M failed`.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$root"

fail() {
  echo "$1" >&2
  echo "ui-tests: 0 passed, 1 failed"
  exit 1
}

bash deploy/local/up.sh >&2 || fail "infrastructure (Postgres, Kafka) did not come up"
# prepareDatabases runs the built migrations and seeds; startStack runs the built services.
# A type error elsewhere is reported by `npm test`'s own build step; run what was built.
flock /tmp/thankstar-build.lock npx tsc -b tsconfig.build.json >&2 || echo "warning: the services build has errors; using the existing dist" >&2
(cd admin-ui && VITE_GATEWAY_URL=http://127.0.0.1:6100/graphql npx vite build --logLevel warn >&2) || fail "vite build failed"

# Pure rules first (fast), then the browser scenarios; the last line adds both up.
mkdir -p .run
npx vitest run --config admin-ui/vitest.config.ts --reporter=default --reporter=json --outputFile="$root/.run/admin-ui-vitest.json" >&2
read -r up uf < <(node -e '
  const r = require("./.run/admin-ui-vitest.json");
  console.log(r.numPassedTests, r.numFailedTests + (r.success || r.numFailedTests ? 0 : 1));
' 2>/dev/null || echo "0 1")
e2e=$(node admin-ui/test/e2e.mjs)
echo "$e2e"
read -r ep ef < <(echo "$e2e" | sed -n 's/^ui-tests: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' | tail -1)
passed=$((up + ${ep:-0}))
failed=$((uf + ${ef:-1}))
echo "ui-tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
