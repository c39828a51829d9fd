#!/usr/bin/env bash
# Fetch the Apache Kafka broker jars pinned in deploy/kafka/pom.xml from Maven
# Central into $THANKSTAR_CACHE/kafka-<version>/libs (default ~/.cache/thankstar).
# No-op when the cache exists and was built from the same pom (sha256 match).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=_kafka-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/_kafka-common.sh"

pom_sha="$(sha256sum "$KAFKA_POM" | cut -d' ' -f1)"

cache_ok() {
  [[ -f "$KAFKA_POM_SHA_FILE" && -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]] &&
    [[ "$(cat "$KAFKA_POM_SHA_FILE")" == "$pom_sha" ]]
}

# Fast path: nothing to do.
cache_ok && exit 0

need_cmd mvn "install Maven: apt-get install maven"
need_cmd java "install a JDK 17+: apt-get install openjdk-17-jdk-headless"

mkdir -p "$KAFKA_HOME_DIR"
# Serialise concurrent fetches (parallel test runners, two shells).
exec 9>"$KAFKA_HOME_DIR/.fetch.lock"
if command -v flock >/dev/null 2>&1; then
  flock -w 600 9 || die "timed out waiting for another kafka-fetch.sh ($KAFKA_HOME_DIR/.fetch.lock)"
fi
cache_ok && exit 0 # another process fetched it while we waited

tmp_libs="$KAFKA_HOME_DIR/libs.tmp.$$"
mvn_log="$KAFKA_HOME_DIR/mvn.log"
trap 'rm -rf "$tmp_libs"' EXIT
rm -rf "$tmp_libs"

# Run from the pom's folder so no unrelated .mvn/ config is picked up; default ~/.m2 repo.
if ! (cd "$(dirname "$KAFKA_POM")" &&
  mvn -B -q -Dstyle.color=never -f "$KAFKA_POM" \
    dependency:copy-dependencies -DoutputDirectory="$tmp_libs") >"$mvn_log" 2>&1; then
  echo "---- mvn output ($mvn_log) ----" >&2
  tail -n 40 "$mvn_log" >&2
  die "could not fetch Kafka $KAFKA_VERSION jars with Maven (see above; needs Maven Central or a warm ~/.m2)"
fi

[[ -f "$tmp_libs/kafka_2.13-$KAFKA_VERSION.jar" ]] ||
  die "Maven finished but kafka_2.13-$KAFKA_VERSION.jar is not in $tmp_libs"

# Swap in atomically enough for our purposes, then record the pom checksum last.
rm -rf "$KAFKA_LIBS"
mv "$tmp_libs" "$KAFKA_LIBS"
rm -f "$KAFKA_HOME_DIR"/cds-*.jsa # class-data archives of kafka-start.sh are tied to the jars
echo "$pom_sha" >"$KAFKA_POM_SHA_FILE"
rm -f "$mvn_log"
