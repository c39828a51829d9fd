# Sourced (not run): loads the credentials postgres-up.sh saved when the local PostgreSQL does
# not trust local connections (Debian's default), so the services, migrations, seeds and tests
# connect as the project's role. Does nothing when there is no such file (a trusting cluster) or
# when PGPASSWORD is already set. By hand: `source deploy/local/pg-env.sh`.
thankstar_pg_env_file() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
  echo "${THANKSTAR_RUN:-$root/.run}/postgres.env"
}
if [[ -z "${PGPASSWORD:-}" && -f "$(thankstar_pg_env_file)" ]]; then
  # shellcheck disable=SC1090
  source "$(thankstar_pg_env_file)"
fi
