#!/usr/bin/env bash
# Set up the environment (idempotent, see tools/setup_env.sh) and run the quick start.
# Extra arguments go to tools/quickstart.py, e.g. `bash tools/quickstart.sh --iters 200`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
bash "$ROOT/tools/setup_env.sh"
cd "$ROOT"
exec "$ROOT/.venv/bin/python" tools/quickstart.py "$@"
