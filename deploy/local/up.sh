#!/usr/bin/env bash
# Bring up local infrastructure: PostgreSQL (+ databases), Kafka jars, Kafka broker.
# Idempotent; a second run is a fast no-op. Quiet on success.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# kafka-start.sh runs kafka-wait.mjs with node: the project's Node 24 too.
PATH="$(bash "$here/node.sh"):$PATH"
export PATH
"$here/postgres-up.sh"
"$here/kafka-fetch.sh"
"$here/kafka-start.sh"
