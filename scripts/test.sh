#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lint, types, import contracts, schema drift,
# then every test on SQLite and on a real PostgreSQL, and the browser tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/ensure-postgres.sh
export PATH="$PWD/.venv/bin:$PATH"

step() { printf "\n==> %s (%s)\n" "$*" "$(date -u +%H:%M:%S)"; }

step "ruff format --check"
ruff format --check src tests bench
step "ruff check"
ruff check src tests bench
step "mypy (strict)"
mypy
step "import contracts"
lint-imports

step "models and migrations agree (SQLite and PostgreSQL)"
scratch=$(mktemp -d)
pg_db="heard_ci_$(date +%s)_$RANDOM"
admin=${HEARD_TEST_PG_ADMIN_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}
cleanup() {
  rm -rf "$scratch"
  python - "$admin" "$pg_db" <<'PY' || true
import sys
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1], isolation_level="AUTOCOMMIT")
with engine.connect() as conn:
    conn.execute(text(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)'))
PY
}
trap cleanup EXIT
python - "$admin" "$pg_db" <<'PY'
import sys
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1], isolation_level="AUTOCOMMIT")
with engine.connect() as conn:
    conn.execute(text(f'CREATE DATABASE "{sys.argv[2]}"'))
PY
pg_url="${admin%/*}/$pg_db"
for url in "sqlite:///$scratch/check.db" "$pg_url"; do
  HEARD_ENVIRONMENT=test HEARD_DATABASE_URL="$url" HEARD_LOG_JSON=false heard db upgrade
  HEARD_ENVIRONMENT=test HEARD_DATABASE_URL="$url" HEARD_LOG_JSON=false heard db check
done

step "pytest (SQLite + PostgreSQL + Chromium)"
set +e
python -m pytest -n "${HEARD_TEST_WORKERS:-2}" --dist loadfile -q --durations=25 "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure, not a pass" >&2
  exit 1
fi
exit "$status"
