#!/usr/bin/env bash
# The test suite: set up, then run every test (SQLite and, where it answers, PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest -n 2 "$@"
