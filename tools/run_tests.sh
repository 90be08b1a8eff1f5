#!/usr/bin/env bash
# Set up the environment (idempotent, see tools/setup_env.sh), lint the code (flake8 and isort,
# setup.cfg) and run the test suite. Extra arguments go to pytest, e.g.
#   bash tools/run_tests.sh -k checkpoint
# --fast (first argument) leaves out the tests marked slow or dist (setup.cfg): the inner loop.
set -euo pipefail
SELECT=()
if [[ "${1:-}" == --fast ]]; then
  shift
  SELECT=(-m "not slow and not dist")
fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
bash "$ROOT/tools/setup_env.sh"
cd "$ROOT"
LINTED=(mmfreqkd tests tools benchmarks configs)
"$ROOT/.venv/bin/python" -m flake8 "${LINTED[@]}" \
  || { echo "run_tests.sh: lint errors above (flake8, setup.cfg); fix them first" >&2; exit 1; }
"$ROOT/.venv/bin/python" -m isort --check-only --diff "${LINTED[@]}" \
  || { echo "run_tests.sh: import order above (isort, setup.cfg); run isort on it" >&2; exit 1; }
exec "$ROOT/.venv/bin/python" -m pytest tests mmfreqkd --doctest-modules "${SELECT[@]}" "$@"
