#!/usr/bin/env bash
# The test suite: set up, then run every test (SQLite and, where it answers, PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-checkers
export PYWB_WAYBACK="$PWD/.venv-tools/bin/wayback" WACZ_CLI="$PWD/.venv-tools/bin/wacz" \
       REPLAYWEBPAGE_DIR="$PWD/.venv-tools/replaywebpage"
exec .venv/bin/python -m pytest -n 2 "$@"
