"""mmfreqkd.benchmark.report: statistics against scipy, the report files, the teacher guard."""
import json
import statistics

import pytest
from scipy import stats

from mmfreqkd.benchmark import Row, paired_difference, write_report


def test_paired_difference_matches_scipys_paired_t_interval():
    ours, base = [93.1, 92.8, 93.6, 93.0], [92.7, 92.9, 92.6, 92.5]
    result = paired_difference(ours, base)
    reference = stats.ttest_rel(ours, base).confidence_interval(0.95)
    assert result['mean'] == pytest.approx(statistics.mean(ours) - statistics.mean(base))
    assert (result['low'], result['high']) == pytest.approx((reference.low, reference.high))
    assert result['significant'] == (reference.low > 0 or reference.high < 0)


def test_one_seed_has_no_interval_and_is_not_significant():
    result = paired_difference([90.0], [80.0])
    assert result['low'] is None and not result['significant']
    with pytest.raises(ValueError, match='same seeds'):
        paired_difference([1.0, 2.0], [1.0])


def _rows(teacher):
    return [Row('teacher', 'teacher', [teacher], [0.2], commands=['tools/train.py t.py']),
            Row('student, no KD', 'student', [80.0, 81.0, 82.0], [0.1, 0.1, 0.1]),
            Row('CWD', 'baseline', [85.0, 86.0, 85.5], [0.15, 0.15, 0.15]),
            Row('SSTKD', 'method', [86.0, 86.5, 86.0], [0.2, 0.2, 0.2])]


def test_report_files_rows_and_charts(tmp_path):
    results = write_report(str(tmp_path), 'Suite seg', 'mIoU', _rows(90.0), dict(parameters='1 M'))
    report = (tmp_path / 'report.md').read_text()
    for label in ('teacher', 'student, no KD', 'CWD', 'SSTKD'):
        assert f'| {label} |' in report
    assert '| SSTKD | CWD | +0.67 |' in report
    # teacher 90 minus the student's mean 81; its sample std 1.0 is 0.11 of that gap
    assert 'Teacher minus no-KD student: +9.00 mIoU' in report and '(0.11 of that gap)' in report
    assert json.loads((tmp_path / 'results.json').read_text())['comparisons'] == \
        results['comparisons']
    for chart in ('metric.png', 'step_time.png', 'metric_vs_time.png'):
        assert (tmp_path / chart).read_bytes()[:4] == b'\x89PNG'


def test_comparison_is_withheld_when_the_teacher_does_not_beat_the_student(tmp_path):
    results = write_report(str(tmp_path), 'Suite seg', 'mIoU', _rows(70.0))
    report = (tmp_path / 'report.md').read_text()
    assert 'WARNING: the teacher does not beat the no-KD student' in report
    assert 'Paired differences' not in report
    assert results['comparisons'] == [] and not results['comparison_valid']


def test_a_row_with_stopped_seeds_is_shown_and_compared_with_nothing(tmp_path):
    """The best baseline lost a seed: SSTKD is compared with the next best, complete one."""
    rows = _rows(90.0)
    rows.insert(2, Row('DKD', 'baseline', [95.0, 96.0], [0.1, 0.1],
                       failures=['seed 2: NonFiniteError: iteration 53: non-finite loss']))
    results = write_report(str(tmp_path), 'Suite cls', 'top-1', rows)
    report = (tmp_path / 'report.md').read_text()
    assert '| DKD | baseline | 95.50 ± 0.71 | 2 (1 stopped) |' in report
    assert '- DKD, seed 2: NonFiniteError: iteration 53: non-finite loss' in report
    assert [(c['method'], c['baseline']) for c in results['comparisons']] == [('SSTKD', 'CWD')]


def test_gradient_shares_are_tabled_with_their_verdicts(tmp_path):
    rows = _rows(90.0)
    rows[2].shares = {'distill.loss_cwd': 0.005}
    rows[3].shares = {'distill.loss_kd': 2.0, 'distill.loss_sta': 12.0}
    write_report(str(tmp_path), 'Suite seg', 'mIoU', rows)
    report = (tmp_path / 'report.md').read_text()
    assert '| CWD | loss_cwd 0.005 (off) |' in report
    assert '| SSTKD | loss_kd 2, loss_sta 12 (dominates) |' in report
    assert '| student, no KD | loss' not in report


def test_test_scores_with_validation_beside_and_a_row_without_training(tmp_path):
    """Rows scored on the test split show their validation beside; a row that trained nothing
    (the identity of a restoration suite) has no step time, and is compared with nothing."""
    rows = [Row('teacher', 'teacher', [90.0], [0.2], val_values=[91.0]),
            Row('identity (the degraded input)', 'other', [25.0], [], val_values=[24.5]),
            Row('student, no KD', 'student', [80.0, 82.0], [0.1] * 2, val_values=[81.0, 83.0]),
            Row('ours', 'method', [84.0, 85.0], [0.2] * 2, val_values=[84.5, 86.0]),
            Row('base', 'baseline', [83.0, 83.5], [0.2] * 2, val_values=[83.0, 85.0])]
    results = write_report(str(tmp_path), 'restore', 'PSNR', rows)
    report = (tmp_path / 'report.md').read_text()
    assert '| run | role | PSNR, test | val | seeds |' in report
    assert '| identity (the degraded input) | other | 25.00 | 24.50 | 1 | - | - | - |' in report
    assert '| student, no KD | student | 81.00 ± 1.41 | 82.00 ± 1.41 | 2 | 0.100 | 1.00x |' \
        in report
    assert [(c['method'], c['baseline']) for c in results['comparisons']] == [('ours', 'base')]
    assert results['comparisons'][0]['mean'] == pytest.approx(1.25)  # of the test scores


def test_an_ablation_is_compared_with_its_method_and_the_best_baseline(tmp_path):
    rows = _rows(90.0) + [Row('SSTKD without L_sta', 'method', [85.0, 86.5, 85.0], [0.2] * 3,
                              ablation=True, parent='SSTKD')]
    results = write_report(str(tmp_path), 'Suite seg', 'mIoU', rows)
    against = {c['baseline']: c for c in results['comparisons']
               if c['method'] == 'SSTKD without L_sta'}
    assert set(against) == {'CWD', 'SSTKD'}
    reference = stats.ttest_rel([85.0, 86.5, 85.0], [86.0, 86.5, 86.0]).confidence_interval(0.95)
    assert against['SSTKD']['mean'] == pytest.approx(-2 / 3)
    assert (against['SSTKD']['low'], against['SSTKD']['high']) == \
        pytest.approx((reference.low, reference.high))
    assert '| SSTKD without L_sta | SSTKD | -0.67 |' in (tmp_path / 'report.md').read_text()
