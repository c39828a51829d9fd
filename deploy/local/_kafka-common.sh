# shellcheck shell=bash disable=SC2034 # variables are used by the scripts that source this file
# Shared settings for kafka-fetch.sh, kafka-start.sh and kafka-stop.sh.
# Sourced, not run. Expects the caller to have `set -euo pipefail`.

KAFKA_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$KAFKA_SCRIPT_DIR/../.." && pwd -P)"

die() {
  echo "$(basename "$0"): error: $*" >&2
  exit 1
}

need_cmd() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH ($2)"
}

KAFKA_POM="$REPO_ROOT/deploy/kafka/pom.xml"
[[ -f "$KAFKA_POM" ]] || die "missing $KAFKA_POM"

# The version is pinned in the pom (<kafka.version>); the cache dir is named after it.
KAFKA_VERSION="$(sed -n 's:.*<kafka\.version>\([^<]*\)</kafka\.version>.*:\1:p' "$KAFKA_POM" | head -n1)"
[[ -n "$KAFKA_VERSION" ]] || die "no <kafka.version> in $KAFKA_POM"

THANKSTAR_CACHE="${THANKSTAR_CACHE:-${HOME:?HOME is not set}/.cache/thankstar}"
KAFKA_HOME_DIR="$THANKSTAR_CACHE/kafka-$KAFKA_VERSION"
KAFKA_LIBS="$KAFKA_HOME_DIR/libs"
KAFKA_POM_SHA_FILE="$KAFKA_HOME_DIR/pom.sha256"

THANKSTAR_RUN="${THANKSTAR_RUN:-$REPO_ROOT/.run}"
KAFKA_RUN="$THANKSTAR_RUN/kafka"
KAFKA_DATA="$KAFKA_RUN/data"
KAFKA_LOGS="$KAFKA_RUN/logs"
KAFKA_PID_FILE="$KAFKA_RUN/kafka.pid"
KAFKA_CONFIG="$KAFKA_RUN/server.properties"
KAFKA_LOG4J="$KAFKA_RUN/log4j2.xml"
KAFKA_CLUSTER_ID_FILE="$KAFKA_RUN/cluster.id"
KAFKA_CDS_TMP="$KAFKA_RUN/cds.jsa.tmp"     # class-data archive being dumped by the running broker
KAFKA_CDS_TARGET="$KAFKA_RUN/cds.target"   # where kafka-stop.sh moves it after a clean exit

KAFKA_HOST=127.0.0.1
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
[[ "$KAFKA_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_PORT must be a number, got '$KAFKA_PORT'"
[[ "$KAFKA_CONTROLLER_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_CONTROLLER_PORT must be a number, got '$KAFKA_CONTROLLER_PORT'"
[[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"

# Is the pid alive and running *our* broker (guards against pid reuse)?
kafka_pid_is_ours() {
  local pid="$1" cmdline
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"kafka.Kafka $KAFKA_CONFIG"* ]]
}

# Pid of our running broker (from the pid file), or nothing.
kafka_running_pid() {
  local pid
  [[ -f "$KAFKA_PID_FILE" ]] || return 0
  pid="$(cat "$KAFKA_PID_FILE" 2>/dev/null || true)"
  if kafka_pid_is_ours "$pid"; then echo "$pid"; fi
}

# Does anything accept TCP connections on 127.0.0.1:$1 ?
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
