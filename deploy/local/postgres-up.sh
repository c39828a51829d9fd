#!/usr/bin/env bash
# Make sure the local PostgreSQL answers (starting the Debian cluster if needed)
# and that the Thankstar databases exist. Idempotent and quiet on success.
#
# Env: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres),
#      THANKSTAR_DB_SUFFIX (e.g. _test: also create thankstar_<svc>_test).
set -euo pipefail

die() {
  echo "$(basename "$0"): error: $*" >&2
  exit 1
}

export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-postgres}"
export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-5}"

BASE_DBS=(thankstar_telephony thankstar_customers thankstar_billing thankstar_licensing thankstar_gateway)
SUFFIX="${THANKSTAR_DB_SUFFIX:-}"
[[ -z "$SUFFIX" || "$SUFFIX" =~ ^[a-z0-9_]+$ ]] ||
  die "THANKSTAR_DB_SUFFIX may only contain a-z, 0-9 and _ (got '$SUFFIX')"

command -v psql >/dev/null 2>&1 || die "psql not found (apt-get install postgresql-client)"
command -v pg_isready >/dev/null 2>&1 || die "pg_isready not found (apt-get install postgresql-client)"

ready() { pg_isready -q -h "$PGHOST" -p "$PGPORT" -t 2 >/dev/null 2>&1; }

if ! ready; then
  case "$PGHOST" in
  127.0.0.1 | localhost | ::1) ;;
  *) die "PostgreSQL at $PGHOST:$PGPORT does not answer (and it is not local, so not starting it)" ;;
  esac
  command -v pg_ctlcluster >/dev/null 2>&1 ||
    die "PostgreSQL at $PGHOST:$PGPORT does not answer and pg_ctlcluster is missing (apt-get install postgresql)"
  # shellcheck disable=SC2012
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)"
  [[ -n "$version" ]] || die "no cluster under /etc/postgresql to start (apt-get install postgresql)"
  state="started"
  if ! out="$(pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>&1)"; then
    # "already running" is not an error for us; anything else is.
    [[ "$out" == *"already running"* ]] || {
      echo "$out" >&2
      die "pg_ctlcluster $version main start failed"
    }
    state="is running"
  fi
  for _ in $(seq 1 60); do
    ready && break
    sleep 0.5
  done
  ready || die "PostgreSQL cluster $version/main $state but $PGHOST:$PGPORT did not answer within 30s (check PGHOST/PGPORT)"
fi

wanted=("${BASE_DBS[@]}")
if [[ -n "$SUFFIX" ]]; then
  for db in "${BASE_DBS[@]}"; do wanted+=("$db$SUFFIX"); done
fi

existing="$(psql -X -d postgres -At -v ON_ERROR_STOP=1 -c 'SELECT datname FROM pg_database' 2>&1)" ||
  die "cannot query $PGHOST:$PGPORT as $PGUSER: $existing"

for db in "${wanted[@]}"; do
  grep -qxF "$db" <<<"$existing" && continue
  if ! out="$(psql -X -d postgres -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db\"" 2>&1)"; then
    # A concurrent run may have created it in the meantime.
    [[ "$out" == *"already exists"* ]] || die "could not create database $db: $out"
  fi
done
