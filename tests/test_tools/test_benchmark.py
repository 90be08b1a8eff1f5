"""tools/benchmark.py: which suites exist where, argument errors named, and a suite's last
report published into a tables page and a summary table without training."""
import pytest
from tools_helpers import run_tool

from mmfreqkd.benchmark import SUITES, Row, write_report
from mmfreqkd.benchmark.experiment import data_folder
from mmfreqkd.benchmark.provenance import stamp
from mmfreqkd.benchmark.publish import SUMMARY_HEADER, markers


def test_suite_that_exists_on_embedded_data_only_is_named():
    result = run_tool(['tools/benchmark.py', 'spectral'], check=False)
    assert result.returncode == 1
    assert ("suite 'spectral' exists on the embedded data only (--quick); full-size suites: "
            'det, seg') in result.stderr


@pytest.mark.parametrize('option', ['--jobs', '--gpus'])
def test_counts_below_one_are_refused(option):
    result = run_tool(['tools/benchmark.py', 'seg', '--quick', option, '0'], check=False)
    assert result.returncode == 1 and f'{option} must be at least 1, got 0' in result.stderr


@pytest.mark.parametrize('args, message', [
    (['seg', '--convergence'], "the full-size suites run their configs' own schedules"),
    (['seg', '--quick', '--convergence', '2', '0'], 'factors must be > 0, got [2.0, 0.0]')])
def test_convergence_needs_a_schedule_to_scale_and_positive_factors(args, message):
    result = run_tool(['tools/benchmark.py', *args], check=False)
    assert result.returncode == 1 and message in result.stderr


@pytest.mark.slow
@pytest.mark.usefixtures('embedded_data')
def test_publish_only_writes_the_last_report_and_trains_nothing(tmp_path):
    rows = [Row('teacher', 'teacher', [90.0], [0.2]),
            Row('student, no KD', 'student', [70.0, 71.0], [0.1] * 2),
            Row('mmrazor CWD', 'baseline', [75.0, 76.0], [0.1] * 2),
            Row('SSTKD', 'method', [77.0, 79.0], [0.1] * 2)]
    made_from = stamp(data_folder(f'data/mmfreqkd/{SUITES["seg"].dataset}'))
    out = tmp_path / 'root' / 'seg'
    made_by = 'python tools/benchmark.py seg --quick --seeds 0 1 --tune 0.5'

    def report(provenance):  # as the command above leaves it
        write_report(str(out), 'seg', 'mIoU', rows, provenance=provenance, command=made_by)

    report(made_from)
    tables, readme = tmp_path / 'benchmarks.md', tmp_path / 'README.md'
    seg, summary = markers('seg'), markers('summary')
    tables.write_text(f'{seg[0]}\nold\n{seg[1]}\n')
    readme.write_text(f'{summary[0]}\n{SUMMARY_HEADER}\n{summary[1]}\n')
    args = ['tools/benchmark.py', 'seg', '--quick', '--seeds', '0', '1', '--publish-only',
            '--work-dir-root', str(tmp_path / 'root')]
    run_tool([*args, '--tables', str(tables), '--summary', str(readme)])
    # published under the command that made the report, not the one that publishes it
    assert f'`{made_by}`:\n\n| run | role | mIoU |' in tables.read_text()
    assert '| seg | mIoU | 90.00 | 70.50 ± 0.71 | mmrazor CWD: 75.50 ± 0.71 | SSTKD: ' \
           '78.00 ± 1.41 | +2.50' in readme.read_text()
    assert not (tmp_path / 'root' / 'teachers').exists()
    # what the tables were made from is published with them
    assert f'Made from commit `{made_from["commit"]}`' in tables.read_text()
    assert f'- seg: Made from commit `{made_from["commit"]}`: training code ' \
           f'`{made_from["training_code"]}`' in readme.read_text()

    # the scores alone, published and checked: equal to the last digit, or named as differing
    scores = tmp_path / 'scores.md'
    scores.write_text(f'{markers("seg-scores")[0]}\n{markers("seg-scores")[1]}\n')
    run_tool([*args, '--scores', str(scores)])
    published = scores.read_text()
    assert '| SSTKD | method | 78.00 ± 1.41 | 2 |' in published
    assert f'Made from commit `{made_from["commit"]}`' in published
    checked = run_tool([*args, '--check', str(scores)])
    assert 'the scores of suite seg are reproduced exactly' in checked.stdout
    scores.write_text(published.replace('78.00 ± 1.41', '78.01 ± 1.41'))
    result = run_tool([*args, '--check', str(scores)], check=False)
    assert result.returncode == 1 and "the scores of suite 'seg' differ" in result.stderr
    assert '78.01 ± 1.41' in result.stderr and '78.00 ± 1.41' in result.stderr
    assert f'This run: Made from commit `{made_from["commit"]}`' in result.stderr

    # a report made by other code, or from other data, or before reports were stamped, is
    # refused, and nothing is published
    published = tables.read_text(), readme.read_text()
    for key, value in (('report_code', '000000000000'), ('data', '000000000000'), (None, None)):
        report(dict(made_from, **{key: value}) if key else None)
        result = run_tool([*args, '--tables', str(tables), '--summary', str(readme)],
                          check=False)
        assert result.returncode == 1 and 'is not what the current code writes' in result.stderr
        assert (f'{key} 000000000000 -> {made_from[key]} changed' if key else
                'names no code or data it was made from') in result.stderr
        assert (tables.read_text(), readme.read_text()) == published

    # a report that does not record the command that made it is refused too
    write_report(str(out), 'seg', 'mIoU', rows, provenance=made_from)
    result = run_tool([*args, '--tables', str(tables)], check=False)
    assert result.returncode == 1 and 'does not record the command' in result.stderr
    assert (tables.read_text(), readme.read_text()) == published

    result = run_tool([*args[:-1], str(tmp_path / 'empty')], check=False)
    assert result.returncode == 1 and "suite 'seg' has no report" in result.stderr


def test_a_suite_with_a_stopped_run_exits_non_zero_and_keeps_the_last_report(
        tmp_path, monkeypatch):
    """Issue row 'a finished harness run ... the suite exits 0 and overwrites the last good
    report.md': the suite's report goes to failed/, the tool exits non-zero and publishes
    nothing. The suite's training is replaced by a report with a stopped row."""
    import importlib.util

    from conftest import REPO_ROOT
    spec = importlib.util.spec_from_file_location(
        'benchmark_tool', f'{REPO_ROOT}/tools/benchmark.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    root = tmp_path / 'root'
    good = [Row('student, no KD', 'student', [70.0], [0.1])]
    write_report(str(root / 'seg'), 'seg', 'mIoU', good)
    last_good = (root / 'seg' / 'report.md').read_text()

    def stopped_suite(suite, work_dir_root, *args, **kwargs):
        rows = [Row('student, no KD', 'student', [], [], failures=['seed 0: NonFiniteError'])]
        failed = tool.report_dir(work_dir_root, suite.name, True)
        return write_report(failed, 'seg', 'mIoU', rows) | dict(failed=True)

    monkeypatch.setattr(tool, 'run_suite', stopped_suite)
    readme = tmp_path / 'README.md'
    readme.write_text('untouched\n')
    with pytest.raises(SystemExit, match=r"suite 'seg': runs stopped .*failed/\)\. Nothing was "
                       r'published, and the last complete report'):
        tool.main(['seg', '--quick', '--work-dir-root', str(root), '--summary', str(readme)])
    assert (root / 'seg' / 'report.md').read_text() == last_good
    assert 'seed 0: NonFiniteError' in (root / 'seg' / 'failed' / 'report.md').read_text()
    assert readme.read_text() == 'untouched\n'
