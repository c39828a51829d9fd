#!/usr/bin/env bash
# Make sure the local PostgreSQL answers (starting the Debian cluster if needed)
# and that the Thankstar databases exist. Idempotent and quiet on success.
#
# Credentials: a cluster that trusts local TCP connections is used as PGUSER (postgres) without
# a password. Debian's default cluster does not (peer on the socket, scram-sha-256 on
# 127.0.0.1): then this script creates the project's own role `thankstar` (LOGIN CREATEDB, a
# generated password) through the postgres account (runuser as root, sudo otherwise) and keeps
# PGUSER/PGPASSWORD in $THANKSTAR_RUN/postgres.env (mode 600), which pg-env.sh loads for
# start.sh, dev.sh and test.sh. A PGPASSWORD set by hand is used as is.
#
# Env: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), PGPASSWORD (none),
#      THANKSTAR_DB_SUFFIX (e.g. _test: also create thankstar_<svc>_test),
#      THANKSTAR_RUN (<repo>/.run), THANKSTAR_PG_SOCKET_DIR (/var/run/postgresql: where the
#      postgres account's psql finds the server's socket).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"

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

# Who we connect as: the saved role (pg-env.sh), unless PGUSER/PGPASSWORD were given.
# shellcheck source=pg-env.sh
source "$here/pg-env.sh"
creds="$(thankstar_pg_env_file)"

as_postgres() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n -u postgres "$@"
  else
    return 1
  fi
}

# Debian's defaults refuse us: make our own role through the postgres account.
if ! probe="$(psql -X -w -d postgres -At -c 'SELECT 1' 2>&1)"; then
  case "$probe" in
  *"password authentication failed"* | *"no password supplied"* | *"Peer authentication failed"* | *"Ident authentication failed"* | *"role \"$PGUSER\" does not exist"*) ;;
  *) die "cannot connect to $PGHOST:$PGPORT as $PGUSER: $probe" ;;
  esac
  case "$PGHOST" in
  127.0.0.1 | localhost | ::1) ;;
  *) die "PostgreSQL at $PGHOST refuses $PGUSER ($probe); set PGUSER/PGPASSWORD" ;;
  esac
  [[ "$PGUSER" == postgres || "$PGUSER" == thankstar ]] ||
    die "PostgreSQL refuses $PGUSER ($probe); set PGPASSWORD"
  password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  socket_dir="${THANKSTAR_PG_SOCKET_DIR:-/var/run/postgresql}"
  # The password goes on stdin, never on a command line.
  if ! out="$(
    printf '%s\n' \
      "SELECT 'CREATE ROLE thankstar' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'thankstar') \\gexec" \
      "ALTER ROLE thankstar LOGIN CREATEDB PASSWORD '$password';" |
      as_postgres psql -X -q -v ON_ERROR_STOP=1 -h "$socket_dir" -p "$PGPORT" -d postgres 2>&1
  )"; then
    die "PostgreSQL refuses $PGUSER without a password ($probe), and creating the role thankstar as the postgres account failed: $out
  (run as root, or with sudo rights to the postgres account; or set PGUSER/PGPASSWORD to an existing role with CREATEDB)"
  fi
  mkdir -p "$(dirname "$creds")"
  (
    umask 077
    printf 'export PGUSER=thankstar\nexport PGPASSWORD=%s\n' "$password" >"$creds"
  )
  refused="$PGUSER"
  export PGUSER=thankstar PGPASSWORD="$password"
  probe="$(psql -X -w -d postgres -At -c 'SELECT 1' 2>&1)" ||
    die "created the role thankstar but cannot connect with it over $PGHOST:$PGPORT: $probe"
  echo "PostgreSQL refused $refused without a password: created the role thankstar (LOGIN CREATEDB); credentials in $creds"
fi

wanted=("${BASE_DBS[@]}")
if [[ -n "$SUFFIX" ]]; then
  for db in "${BASE_DBS[@]}"; do wanted+=("$db$SUFFIX"); done
fi

existing="$(psql -X -w -d postgres -At -v ON_ERROR_STOP=1 -c 'SELECT datname FROM pg_database' 2>&1)" ||
  die "cannot query $PGHOST:$PGPORT as $PGUSER: $existing"

for db in "${wanted[@]}"; do
  grep -qxF "$db" <<<"$existing" && continue
  if ! out="$(psql -X -w -d postgres -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db\"" 2>&1)"; then
    # A concurrent run may have created it in the meantime.
    [[ "$out" == *"already exists"* ]] || die "could not create database $db: $out"
  fi
done
