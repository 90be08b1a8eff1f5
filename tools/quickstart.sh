#!/usr/bin/env bash
# Set up the environment (idempotent, see tools/setup_env.sh) and run the main job: the
# segmentation suite of the benchmark harness on the embedded data (teacher, then the student
# without distillation, with mmrazor's CWD and with SSTKD, side by side, scored on the test
# split) on half the suite's schedule (the quick start stays under 15 minutes on 2 cores), then
# check that its scores equal the README's to the last digit.
# Extra arguments go to tools/benchmark.py, e.g. `bash tools/quickstart.sh --jobs 2`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
bash "$ROOT/tools/setup_env.sh"
cd "$ROOT"
exec "$ROOT/.venv/bin/python" tools/benchmark.py seg --quick --iters 1000 --seeds 0 1 2 --jobs 2 \
  --check README.md "$@"
