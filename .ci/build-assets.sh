#!/usr/bin/env bash
# Build what the app serves or reads that is not Python source: compiled translations and
# the KaTeX and scorm-again files of repo_server/static/vendor (from npm, so no CDN is needed at run time).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d repo_server/translations ]; then
  .venv/bin/pybabel compile -d repo_server/translations -f >/dev/null
fi

vendor=repo_server/static/vendor/katex
lock=frontend/package-lock.json
# Rebuild only when the lock file changed since the last copy.
if [ ! -f "$vendor/.lock" ] || ! cmp -s "$lock" "$vendor/.lock"; then
  if ! command -v npm >/dev/null; then
    echo "npm is needed once to fetch KaTeX (apt-get install npm)" >&2
    exit 1
  fi
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
  dist=frontend/node_modules/katex/dist
  rm -rf "$vendor"
  mkdir -p "$vendor/contrib"
  cp "$dist/katex.min.js" "$dist/katex.min.css" "$vendor/"
  cp "$dist/contrib/auto-render.min.js" "$vendor/contrib/"
  cp -r "$dist/fonts" "$vendor/fonts"
  # scorm-again: the SCORM runtime API of the player page (scorm12/scorm2004 + the
  # cross-frame LMS side) and the shim served inside sandboxed packages (cross-frame API).
  runtime=repo_server/static/vendor/scorm-again
  rm -rf "$runtime"
  mkdir -p "$runtime"
  for name in scorm12 scorm2004 cross-frame-lms cross-frame-api; do
    cp "frontend/node_modules/scorm-again/dist/$name.min.js" "$runtime/"
  done
  cp frontend/node_modules/scorm-again/LICENSE "$runtime/"
  cp "$lock" "$vendor/.lock"
fi
