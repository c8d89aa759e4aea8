#!/usr/bin/env bash
# The crawl benchmarks (issue 3 and issue 4 figures), printed as ratios measured in this run.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m benchmarks.crawl "$@"
