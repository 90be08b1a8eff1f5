"""tools/setup_env.sh and tools/fill_wheelhouse.sh: argument errors are named before anything
is installed (the install itself runs in every CI job through tools/run_tests.sh)."""
import subprocess

from tools_helpers import REPO_ROOT


def _bash(*args):
    return subprocess.run(['bash', *args], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=60)


def test_wheelhouse_must_be_a_folder(tmp_path):
    result = _bash('tools/setup_env.sh', '--wheelhouse', str(tmp_path / 'missing'))
    assert result.returncode == 2
    assert f"--wheelhouse needs a folder, got '{tmp_path / 'missing'}'" in result.stderr


def test_unknown_argument_is_named():
    result = _bash('tools/setup_env.sh', '--offline')
    assert result.returncode == 2 and "unknown argument '--offline'" in result.stderr


def test_fill_wheelhouse_needs_a_folder():
    result = _bash('tools/fill_wheelhouse.sh')
    assert result.returncode != 0 and 'usage: fill_wheelhouse.sh DIR' in result.stderr
