#!/usr/bin/env bash
# Makes sure the local PostgreSQL used by the tests answers; starts the cluster if it is installed
# but stopped. Prints the admin URL the tests use.
set -euo pipefail
url=${HEARD_TEST_PG_ADMIN_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}
host=127.0.0.1
port=5432
if command -v pg_isready >/dev/null && pg_isready -q -h "$host" -p "$port"; then
  exit 0
fi
if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  echo "==> starting the local PostgreSQL cluster" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -h "$host" -p "$port" && exit 0
    sleep 1
  done
fi
echo "PostgreSQL is not answering on $host:$port ($url). The tests need a real PostgreSQL:" >&2
echo "install it (apt-get install postgresql) or set HEARD_TEST_PG_ADMIN_URL." >&2
exit 1
