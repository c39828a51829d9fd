#!/usr/bin/env bash
# Stop local infrastructure started by up.sh (the Kafka broker; PostgreSQL is the
# machine's own service and is left running). Idempotent.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
"$here/kafka-stop.sh"
