# The interpreter the project's shell tools run (sourced by dist_train.sh and slurm_train.sh):
# $PYTHON when set, else the environment tools/setup_env.sh builds (.venv/bin/python beside
# tools/) when present, else the first `python` on PATH. Prints an error naming what it tried.
project_python() {
    local root="$1"
    if [ -n "${PYTHON:-}" ]; then
        echo "$PYTHON"
    elif [ -x "$root/.venv/bin/python" ]; then
        echo "$root/.venv/bin/python"
    elif command -v python >/dev/null 2>&1; then
        command -v python
    else
        echo "no Python: set PYTHON, or run tools/setup_env.sh to build $root/.venv" >&2
        return 1
    fi
}
