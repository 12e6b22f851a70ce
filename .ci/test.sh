#!/usr/bin/env bash
# The whole suite: lint, every test on the embedded defaults with the real backends the
# service scripts start (S3, OpenSearch, Elasticsearch), then the database-backed tests
# again on a real PostgreSQL. Services are stopped on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
WORK=${REPO_CI_WORK:-$PWD/.ci/work}
mkdir -p "$WORK"
started=()

stop_all() {
  for svc in "${started[@]}"; do bash ".ci/services/$svc.sh" stop "$WORK/$svc" || true; done
}
trap stop_all EXIT

start() {  # start a service and take in the variables it prints
  local svc=$1
  local out
  out=$(bash ".ci/services/$svc.sh" start "$WORK/$svc")
  started+=("$svc")
  eval "$out"
  echo "started $svc" >&2
}

source .venv/bin/activate
echo "== lint" >&2
ruff check .
ruff format --check .

start postgres
for svc in seaweedfs minio opensearch elasticsearch; do
  [ -f ".ci/services/$svc.sh" ] && start "$svc"
done

echo "== tests on SQLite with every backend" >&2
PG_URL=$REPO_TEST_DATABASE_URL
unset REPO_TEST_DATABASE_URL
$PY -m pytest -p no:randomly

echo "== database tests on PostgreSQL" >&2
REPO_TEST_DATABASE_URL=$PG_URL $PY -m pytest tests/server -m "not browser"
