#!/usr/bin/env bash
# Creates (or grows) Thankstar's Kafka topics with kafka-topics.sh from the apache/kafka image.
# Used by the Kubernetes Job (deploy/k8s/base/kafka-topics) and the docker-compose `kafka-topics`
# one-shot service. Idempotent: existing topics are kept; a topic with fewer partitions than
# wanted is grown (Kafka cannot shrink one). Partition counts must match platformTopics in
# libs/platform/src/nest/platform.module.ts (see docs/scaling.md).
#
# Env: BOOTSTRAP (kafka:9092), REPLICATION (1), PARTITIONS (6), DLQ_PARTITIONS (1),
#      MIN_INSYNC_REPLICAS (1), TOPICS (space-separated; default: every topic in libs/contracts).
set -euo pipefail

BOOTSTRAP="${BOOTSTRAP:-kafka:9092}"
REPLICATION="${REPLICATION:-1}"
PARTITIONS="${PARTITIONS:-6}"
DLQ_PARTITIONS="${DLQ_PARTITIONS:-1}"
MIN_INSYNC_REPLICAS="${MIN_INSYNC_REPLICAS:-1}"
TOPICS="${TOPICS:-telephony.call-events.v1 customers.popups.v1 customers.interactions.v1 customers.keyed-records.v1 customers.notices.v1 licensing.sessions.v1 licensing.access-revocations.v1 billing.contracts.v1 billing.invoices.v1}"
KT="${KAFKA_TOPICS_SH:-/opt/kafka/bin/kafka-topics.sh}"

for _ in $(seq 1 60); do
  "$KT" --bootstrap-server "$BOOTSTRAP" --list >/dev/null 2>&1 && break
  echo "waiting for $BOOTSTRAP ..."
  sleep 2
done

ensure() { # topic partitions
  local topic="$1" partitions="$2" current
  current="$("$KT" --bootstrap-server "$BOOTSTRAP" --describe --topic "$topic" 2>/dev/null |
    sed -n 's/.*PartitionCount: *\([0-9]*\).*/\1/p' | head -n1 || true)"
  if [[ -z "$current" ]]; then
    "$KT" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$topic" \
      --partitions "$partitions" --replication-factor "$REPLICATION" \
      --config min.insync.replicas="$MIN_INSYNC_REPLICAS"
    echo "created $topic ($partitions partitions, replication $REPLICATION)"
  elif ((current < partitions)); then
    "$KT" --bootstrap-server "$BOOTSTRAP" --alter --topic "$topic" --partitions "$partitions"
    echo "grew $topic from $current to $partitions partitions"
  else
    echo "kept $topic ($current partitions)"
  fi
}

for topic in $TOPICS; do
  ensure "$topic" "$PARTITIONS"
  # Dead letters are rare and replayed by hand: one partition keeps them in arrival order.
  ensure "$topic.dlq" "$DLQ_PARTITIONS"
done
