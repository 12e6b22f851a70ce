#!/usr/bin/env bash
# Shared start/stop logic for a one-node search engine run from Maven Central jars
# (codelibs runners). Sourced by opensearch.sh and elasticsearch.sh, which set:
#   ENGINE (pom folder), MAIN (runner class), YML (node settings file name),
#   BASE_PORT (node 1 answers on BASE_PORT+1), TRANSPORT_PORT, ENV_NAME (URL variable).
# Progress goes to stderr; stdout carries only the `export ...` line, so callers can
# `eval "$(.ci/services/opensearch.sh start DIR)"`.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HTTP_PORT=$((BASE_PORT + 1))
URL="http://127.0.0.1:${HTTP_PORT}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

log() { echo "[$ENGINE] $*" >&2; }

fetch_jars() {
  log "fetching jars (cached in ~/.m2)"
  if ! (cd "$HERE/$ENGINE" && mvn -q -B dependency:copy-dependencies >"$1/mvn.log" 2>&1); then
    cat "$1/mvn.log" >&2
    exit 1
  fi
}

write_settings() {
  # The runner keeps a settings file that exists before start; this one pins the node
  # to loopback, skips discovery and keeps CI disks from tripping the watermarks.
  mkdir -p "$1/node_1/config"
  cat > "$1/node_1/config/$YML" <<YAML
network.host: 127.0.0.1
transport.port: ${TRANSPORT_PORT}
discovery.type: single-node
cluster.routing.allocation.disk.threshold_enabled: false
YAML
}

is_running() {
  [[ -f "$1/runner.pid" ]] && kill -0 "$(cat "$1/runner.pid")" 2>/dev/null
}

wait_healthy() {
  local dir="$1" deadline=$((SECONDS + 120))
  until curl -sf "${URL}/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null; do
    if ! is_running "$dir"; then
      log "node exited during start; last log lines:"
      tail -n 40 "$dir/runner.log" >&2
      exit 1
    fi
    if ((SECONDS > deadline)); then
      log "not healthy after 120 s; see $dir/runner.log"
      exit 1
    fi
    sleep 1
  done
}

start() {
  local dir="$1"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if is_running "$dir"; then
    log "already running (pid $(cat "$dir/runner.pid"))"
  else
    fetch_jars "$dir"
    write_settings "$dir"
    log "starting on ${URL}"
    # exec keeps one process, so the pid written is the JVM's own.
    (cd "$HERE/$ENGINE" && exec nohup "$JAVA" -Xms512m -Xmx1g -cp 'target/lib/*' "$MAIN" \
      -basePath "$dir" -numOfNode 1 -baseHttpPort "$BASE_PORT" -clusterName ci) \
      >"$dir/runner.log" 2>&1 </dev/null &
    echo $! >"$dir/runner.pid"
    wait_healthy "$dir"
    log "healthy after ${SECONDS} s"
  fi
  echo "export ${ENV_NAME}=${URL}/ci-test"
}

stop() {
  local dir="$1" pid
  if ! is_running "$dir"; then
    log "not running"
    rm -f "$dir/runner.pid"
    return 0
  fi
  pid="$(cat "$dir/runner.pid")"
  kill "$pid"
  for _ in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still alive after 30 s; killing"
    kill -9 "$pid"
  fi
  rm -f "$dir/runner.pid"
  log "stopped"
}

main() {
  if [[ $# -ne 2 || ( "$1" != start && "$1" != stop ) ]]; then
    echo "usage: $(basename "$0") start|stop DIR" >&2
    exit 2
  fi
  "$1" "$2"
}
