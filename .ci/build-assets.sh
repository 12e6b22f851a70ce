#!/usr/bin/env bash
# Build what the app serves or reads that is not Python source: compiled translations.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d repo_server/translations ]; then
  .venv/bin/pybabel compile -q -d repo_server/translations -f
fi
