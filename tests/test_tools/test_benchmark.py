"""tools/benchmark.py: which suites exist where, and argument errors named."""
import pytest
from tools_helpers import run_tool


def test_suite_that_exists_on_embedded_data_only_is_named():
    result = run_tool(['tools/benchmark.py', 'spectral'], check=False)
    assert result.returncode == 1
    assert ("suite 'spectral' exists on the embedded data only (--quick); full-size suites: "
            'det, seg') in result.stderr


@pytest.mark.parametrize('option', ['--jobs', '--gpus'])
def test_counts_below_one_are_refused(option):
    result = run_tool(['tools/benchmark.py', 'seg', '--quick', option, '0'], check=False)
    assert result.returncode == 1 and f'{option} must be at least 1, got 0' in result.stderr
