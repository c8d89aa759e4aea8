#!/usr/bin/env bash
# The main job, offline: set up, then run `nianbao demo` against the bundled demo portal.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/nianbao demo "$@"
