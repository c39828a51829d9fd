#!/usr/bin/env bash
# `npm run dev`: the platform in watch mode with the demo tenant. Like `npm start` (start.sh):
# installs what is missing, brings the infrastructure up, builds once, migrates and seeds; then
# dev.mjs runs `tsc -b --watch`, the four services and the gateway under `node --watch` (each
# restarts when its compiled output changes) and the admin UI's Vite dev server. One Ctrl-C
# stops them all (Kafka keeps running: npm run infra:down).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$root"
node_bin="$(bash deploy/local/node.sh)"
export PATH="$node_bin:$PATH"

bash deploy/local/install.sh
bash deploy/local/up.sh
# The project's PostgreSQL role where the cluster does not trust local connections (postgres-up.sh).
source deploy/local/pg-env.sh
echo "building"
npm run --silent build
for svc in licensing telephony customers billing; do
  node "services/$svc/dist/src/migrate.js"
  node "services/$svc/dist/src/seed/run.js"
done
exec node deploy/local/dev.mjs
