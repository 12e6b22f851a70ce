#!/usr/bin/env bash
# Start/stop a loopback-only MinIO server for the storage contract tests — only when a
# `minio` server binary is on PATH (none is installed by the project: MinIO ships no
# package on the registries this CI reaches; `go install github.com/minio/minio@VERSION`
# builds one). Without it, `start` prints nothing and the MinIO cases skip.
#
# Usage:
#   eval "$(bash .ci/services/minio.sh start DIR [ACCESS_KEY [SECRET_KEY [BUCKET]]])"
#   bash .ci/services/minio.sh stop DIR
# `start` prints `export REPO_TEST_MINIO_URL=...` on stdout; logs go to DIR/minio.log.
# The keys must be those of the other S3 server of the run (boto3 reads one AWS_* pair).
set -euo pipefail

PORT="${MINIO_PORT:-9123}"

log() { echo "minio: $*" >&2; }

wait_ready() {
    local dir="$1" deadline=$((SECONDS + 60))
    until curl -sf "http://127.0.0.1:$PORT/minio/health/ready" >/dev/null; do
        kill -0 "$(cat "$dir/minio.pid")" 2>/dev/null || { log "exited; see $dir/minio.log"; exit 1; }
        ((SECONDS < deadline)) || { log "not ready within 60 s; see $dir/minio.log"; exit 1; }
        sleep 0.5
    done
}

start() {
    local dir="$1" key="${2:-ci-key}" secret="${3:-ci-secret}" bucket="${4:-ci-bucket}"
    if ! command -v minio >/dev/null 2>&1; then
        log "no minio binary on PATH; the MinIO cases will skip"
        return 0
    fi
    mkdir -p "$dir/data"
    dir="$(cd "$dir" && pwd)"
    if [[ -f "$dir/minio.pid" ]] && kill -0 "$(cat "$dir/minio.pid")" 2>/dev/null; then
        log "already running (pid $(cat "$dir/minio.pid"))"
    else
        log "starting minio in $dir (127.0.0.1:$PORT)"
        MINIO_ROOT_USER="$key" MINIO_ROOT_PASSWORD="$secret" MINIO_BROWSER=off \
            nohup minio server "$dir/data" --address "127.0.0.1:$PORT" --quiet \
            >"$dir/minio.log" 2>&1 </dev/null &
        echo $! >"$dir/minio.pid"
    fi
    wait_ready "$dir"
    AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" python - "$bucket" "$PORT" <<'PY' >&2
import sys
import boto3
from botocore.config import Config

bucket, port = sys.argv[1], sys.argv[2]
client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                      config=Config(s3={"addressing_style": "path"}))
if bucket not in [b["Name"] for b in client.list_buckets()["Buckets"]]:
    client.create_bucket(Bucket=bucket)
print(f"minio: bucket {bucket} ready")
PY
    echo "export REPO_TEST_MINIO_URL='s3://$bucket/test?endpoint=http://127.0.0.1:$PORT&region=us-east-1'"
}

stop() {
    local dir="$1" pid
    [[ -f "$dir/minio.pid" ]] || return 0
    pid="$(cat "$dir/minio.pid")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$dir/minio.pid"
    log "stopped (pid $pid)"
}

case "${1:-}" in
    start) shift; [[ $# -ge 1 ]] || { log "usage: $0 start DIR [KEY [SECRET [BUCKET]]]"; exit 2; }; start "$@" ;;
    stop) shift; [[ $# -ge 1 ]] || { log "usage: $0 stop DIR"; exit 2; }; stop "$1" ;;
    *) log "usage: $0 start DIR [KEY [SECRET [BUCKET]]] | stop DIR"; exit 2 ;;
esac
