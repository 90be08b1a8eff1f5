#!/usr/bin/env bash
# Build the mmfreqkd environment on a fresh machine: a project virtual environment (.venv/) with
# torch + torchvision, mmcv 2.1.0 compiled from its sdist, the OpenMMLab codebases and mmfreqkd
# itself (editable).
#
# Idempotent: when .venv/ already holds an environment built from the same requirement files, the
# script checks it imports and returns in seconds without touching pip.
#
# Usage: bash tools/setup_env.sh [--wheelhouse DIR]
#   --wheelhouse DIR  install offline, from DIR only (no package index): the wheels and the mmcv
#                     source that tools/fill_wheelhouse.sh put there, e.g. for a GPU cluster
#                     behind a firewall.
#
# Environment variables:
#   PYTHON        interpreter used to create the venv (default: python3)
#   SYSTEM_TORCH  1: use the machine's torch and torchvision instead of the pinned ones (a venv
#                 with the system site packages; the torch pins are dropped)
#   VENV          location of the venv (default: <repo>/.venv)
#   FORCE_CUDA    1 to build mmcv's CUDA ops, 0 for CPU-only ops; by default CUDA ops are built
#                 when torch sees a GPU and nvcc is on PATH.
#   MAX_JOBS      parallel compile jobs for mmcv (default: number of cores)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="${VENV:-$ROOT/.venv}"
REQ="$ROOT/requirements"
STAMP="$VENV/.mmfreqkd-env"
WHEELHOUSE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --wheelhouse) [ -d "${2:-}" ] || { echo "setup_env.sh: --wheelhouse needs a folder, got '${2:-}'" >&2; exit 2; }
                  WHEELHOUSE="$(cd "$2" && pwd)"; shift 2 ;;
    *) echo "setup_env.sh: unknown argument '$1' (usage: setup_env.sh [--wheelhouse DIR])" >&2; exit 2 ;;
  esac
done

log() { printf '[setup_env %(%H:%M:%S)T] %s\n' -1 "$*"; }

# The stamp records what the environment was built from; editing any of these rebuilds it.
want_stamp() {
  cat "$REQ"/*.txt "$ROOT/setup.py" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1
}

env_works() {
  "$VENV/bin/python" - <<'EOF' >/dev/null 2>&1
import mmcv.ops, mmdet, mmseg, mmrotate, mmpretrain, torchvision  # noqa: F401
import mmfreqkd  # applies the compatibility layer; mmrazor.models must then import
import mmrazor.models  # noqa: F401
EOF
}

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(want_stamp)" ] && env_works; then
  log "environment in $VENV is up to date"
  exit 0
fi

VENV_ARGS=()
if [ "${SYSTEM_TORCH:-0}" = 1 ]; then
  VENV_ARGS=(--system-site-packages)
  # the machine's torch and torchvision: no pins for them, nothing to install
  FILTERED="$(mktemp -d)"
  grep -v -E '^(torch|torchvision)==' "$REQ/constraints.txt" > "$FILTERED/constraints.txt"
  grep -v -E '^(torch|torchvision)==' "$REQ/build.txt" > "$FILTERED/build.txt"
  CONSTRAINTS="$FILTERED/constraints.txt" BUILD_REQ="$FILTERED/build.txt"
else
  CONSTRAINTS="$REQ/constraints.txt" BUILD_REQ="$REQ/build.txt"
fi
[ -x "$VENV/bin/python" ] || { log "creating $VENV with $($PYTHON --version)"; "$PYTHON" -m venv "${VENV_ARGS[@]}" "$VENV"; }

# --isolated: ignore machine-wide pip configuration (on the CI image it points pip at a local
# CPU-only torch wheel that cannot carry torchvision, see docs/install.md "Version window").
# -c constraints.txt on every call keeps numpy/opencv/setuptools inside the window.
OFFLINE=()
[ -n "$WHEELHOUSE" ] && OFFLINE=(--no-index --find-links "$WHEELHOUSE")
pip_install() {
  "$VENV/bin/python" -m pip install --isolated --disable-pip-version-check "${OFFLINE[@]}" \
    -c "$CONSTRAINTS" "$@"
}

log "installing torch, torchvision and build tools${WHEELHOUSE:+ from $WHEELHOUSE}"
pip_install -r "$BUILD_REQ"

if [ -z "${FORCE_CUDA:-}" ]; then
  if command -v nvcc >/dev/null && "$VENV/bin/python" -c 'import torch,sys; sys.exit(not torch.cuda.is_available())'; then
    FORCE_CUDA=1
  else
    FORCE_CUDA=0
  fi
fi
export FORCE_CUDA MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-$(nproc)}"
if ! "$VENV/bin/python" -c 'import mmcv.ops' >/dev/null 2>&1; then
  log "building mmcv 2.1.0 with ops (FORCE_CUDA=$FORCE_CUDA, MAX_JOBS=$MAX_JOBS); ~20 min on 2 cores, cached by pip afterwards"
  pip_install --no-build-isolation mmcv==2.1.0
fi

log "installing the OpenMMLab codebases, runtime and test dependencies"
pip_install -r "$REQ/mminstall.txt" -r "$REQ/runtime.txt" -r "$REQ/tests.txt"

# A development-mode install (egg-link to this checkout), as OpenMMLab codebases are installed
# for development: `mim train mmfreqkd` looks for mmfreqkd/.mim under the distribution's
# location, which a PEP 660 editable install would place in site-packages instead.
log "installing mmfreqkd (development mode)"
pip_install --no-build-isolation --no-use-pep517 --no-deps -e "$ROOT"

env_works || { log "ERROR: the environment does not import; see the output above"; exit 1; }
want_stamp > "$STAMP"
log "environment ready: $VENV"
