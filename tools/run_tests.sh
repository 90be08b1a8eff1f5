#!/usr/bin/env bash
# Set up the environment (idempotent, see tools/setup_env.sh) and run the test suite.
# Extra arguments go to pytest, e.g. `bash tools/run_tests.sh -k checkpoint`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
bash "$ROOT/tools/setup_env.sh"
cd "$ROOT"
exec "$ROOT/.venv/bin/python" -m pytest tests mmfreqkd --doctest-modules "$@"
