#!/usr/bin/env bash
# `npm start`: the whole platform on this machine with the demo tenant.
# Installs what is missing, starts Postgres and Kafka, builds, migrates, seeds, starts the four
# services, the gateway and the admin UI, then prints the URLs, the demo login and a ready curl.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$root"
# Node 24 first on PATH for everything below (deploy/local/node.sh installs it when missing).
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
exec node deploy/local/run.mjs
