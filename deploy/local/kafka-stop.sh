#!/usr/bin/env bash
# Stop the local Kafka broker started by kafka-start.sh: SIGTERM (controlled
# shutdown), wait up to $KAFKA_STOP_TIMEOUT (30) seconds, then SIGKILL.
# Idempotent: does nothing when the broker is not running.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=_kafka-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/_kafka-common.sh"

STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

pid="$(kafka_running_pid)"
if [[ -z "$pid" ]]; then
  # Pid file lost? Look for a broker running on *this* config file (exact match only).
  for d in /proc/[0-9]*; do
    p="${d#/proc/}"
    if kafka_pid_is_ours "$p"; then
      pid="$p"
      break
    fi
  done
fi

if [[ -z "$pid" ]]; then
  rm -f "$KAFKA_PID_FILE"
  exit 0
fi

kill -TERM "$pid" 2>/dev/null || true
deadline=$((SECONDS + STOP_TIMEOUT))
while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
  sleep 0.2
done
clean=1
if kill -0 "$pid" 2>/dev/null; then
  clean=0
  echo "kafka-stop.sh: broker (pid $pid) still running after ${STOP_TIMEOUT}s, sending SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && {
    echo "kafka-stop.sh: error: broker (pid $pid) survived SIGKILL" >&2
    exit 1
  }
fi
rm -f "$KAFKA_PID_FILE"

# Keep the class-data archive the broker dumped at exit (see kafka-start.sh), but only
# after a clean exit: a SIGKILLed dump may be truncated.
if [[ -f "$KAFKA_CDS_TARGET" ]]; then
  target="$(cat "$KAFKA_CDS_TARGET")"
  if ((clean)) && [[ -s "$KAFKA_CDS_TMP" && -n "$target" && -d "$(dirname "$target")" ]]; then
    mv -f "$KAFKA_CDS_TMP" "$target" 2>/dev/null || true
  fi
  rm -f "$KAFKA_CDS_TMP" "$KAFKA_CDS_TARGET"
fi
