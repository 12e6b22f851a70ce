#!/usr/bin/env bash
# Start or stop the machine's PostgreSQL cluster on 127.0.0.1 with a test role and database.
# Usage: postgres.sh start|stop   (prints the export line for REPO_TEST_DATABASE_URL on start)
set -euo pipefail
USER_NAME=${PG_TEST_USER:-repo_test}
PASSWORD=${PG_TEST_PASSWORD:-repo_test_pw}
DB_NAME=${PG_TEST_DB:-repo_test}

pg_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -1; }

start() {
  local ver; ver=$(pg_version)
  [ -n "$ver" ] || { echo "postgres.sh: PostgreSQL is not installed" >&2; exit 1; }
  if ! pg_isready -h 127.0.0.1 -q; then
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start >&2
  fi
  pg_isready -h 127.0.0.1 -t 30 >&2
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='$USER_NAME'\"" | grep -q 1 \
    || su postgres -c "psql -qc \"CREATE ROLE $USER_NAME LOGIN PASSWORD '$PASSWORD'\"" >&2
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='$DB_NAME'\"" | grep -q 1 \
    || su postgres -c "createdb -O $USER_NAME $DB_NAME" >&2
  # Test data need not survive a crash: commits skip the WAL flush (every test commits
  # dozens of times; on this machine's disk each flush costs milliseconds).
  su postgres -c "psql -qc \"ALTER DATABASE $DB_NAME SET synchronous_commit = off\"" >&2
  echo "export REPO_TEST_DATABASE_URL=postgresql+psycopg://$USER_NAME:$PASSWORD@127.0.0.1:5432/$DB_NAME"
}

stop() {
  local ver; ver=$(pg_version)
  [ -n "$ver" ] && pg_ctlcluster --skip-systemctl-redirect "$ver" main stop >&2 || true
}

"${1:?usage: postgres.sh start|stop}"
