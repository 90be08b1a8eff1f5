#!/usr/bin/env bash
# Fill a folder with everything tools/setup_env.sh installs, for an offline install on another
# machine (e.g. a GPU cluster without a package index): the pinned wheels for that machine's
# Python, and mmcv's source (mmcv 2.1.0 has no wheel; it compiles where it is installed).
#
#   bash tools/fill_wheelhouse.sh DIR [PYTHON_VERSION]        # e.g. DIR 3.12; default: this one
#   SYSTEM_TORCH=1 bash tools/fill_wheelhouse.sh DIR 3.12      # leave torch/torchvision out
#
# Then, there: bash tools/setup_env.sh --wheelhouse DIR  (with SYSTEM_TORCH=1 to use its torch).
# Needs this machine's environment (tools/setup_env.sh) for mmcv's source: pip reads mmcv's
# metadata by running its setup.py, which imports torch. Linux x86-64 targets only.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
REQ="$ROOT/requirements"
DIR="${1:?usage: fill_wheelhouse.sh DIR [PYTHON_VERSION]}"
PYV="${2:-$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')}"
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || { echo "fill_wheelhouse.sh: run tools/setup_env.sh first (for mmcv's source)" >&2; exit 2; }
mkdir -p "$DIR"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
drop='^mmcv=='  # no wheel: its source comes below
[ "${SYSTEM_TORCH:-0}" = 1 ] && drop='^(mmcv|torch|torchvision)=='
for f in constraints build mminstall runtime tests; do
  grep -v -E "$drop" "$REQ/$f.txt" > "$TMP/$f.txt"
done
# pip matches platform tags exactly: every glibc baseline a wheel of the stack may name
PLATFORMS=(--platform manylinux2014_x86_64 --platform linux_x86_64)
for n in $(seq 5 39); do PLATFORMS+=(--platform "manylinux_2_${n}_x86_64"); done
echo "[fill_wheelhouse] wheels for CPython $PYV (manylinux x86-64) into $DIR"
"$PY" -m pip download --isolated --disable-pip-version-check -d "$DIR" \
  --only-binary=:all: --python-version "$PYV" --implementation cp \
  "${PLATFORMS[@]}" \
  -c "$TMP/constraints.txt" -r "$TMP/build.txt" -r "$TMP/mminstall.txt" \
  -r "$TMP/runtime.txt" -r "$TMP/tests.txt"
if [ "${SYSTEM_TORCH:-0}" = 1 ]; then
  # codebases that declare torch pull it (and its CUDA wheels) in: the target's torch serves
  rm -f "$DIR"/torch-*.whl "$DIR"/torchvision-*.whl "$DIR"/triton-*.whl "$DIR"/nvidia_*.whl
fi
echo "[fill_wheelhouse] mmcv 2.1.0 source"
"$PY" -m pip download --isolated --disable-pip-version-check -d "$DIR" --no-deps \
  --no-binary :all: --no-build-isolation mmcv==2.1.0
echo "[fill_wheelhouse] $(ls "$DIR" | wc -l) files, $(du -sh "$DIR" | cut -f1) in $DIR"
