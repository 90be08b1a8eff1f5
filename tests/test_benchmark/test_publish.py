"""mmfreqkd.benchmark.publish: a suite's tables replace its section and nothing else; its
summary lines replace its own lines of the summary table, in suite order; the project's
benchmark page has a section for every suite and the README the summary."""
import os.path as osp
import statistics

import pytest
from conftest import REPO_ROOT
from scipy import stats

from mmfreqkd.benchmark import (SUITES, Row, summary_lines, update_section, update_summary,
                                write_report)
from mmfreqkd.benchmark.publish import SUMMARY_HEADER, markers


def test_section_is_replaced_and_the_rest_kept(tmp_path):
    page = tmp_path / 'benchmarks.md'
    seg, det = markers('seg'), markers('det')
    page.write_text(f'intro\n{seg[0]}\nold seg\n{seg[1]}\nmiddle\n{det[0]}\nold det\n{det[1]}\n')
    update_section(str(page), 'seg', '| new | table |\n')
    assert page.read_text() == (f'intro\n{seg[0]}\n| new | table |\n{seg[1]}\nmiddle\n'
                                f'{det[0]}\nold det\n{det[1]}\n')
    update_section(str(page), 'seg', r'a \1 backslash')  # text is not a regex template
    assert r'a \1 backslash' in page.read_text()


def test_missing_section_names_the_file_and_the_markers(tmp_path):
    page = tmp_path / 'README.md'
    page.write_text('no sections\n')
    with pytest.raises(ValueError, match=r"README.md: no section for 'rotated'.*"
                       r'<!-- benchmark:rotated -->'):
        update_section(str(page), 'rotated', 'x')
    with pytest.raises(ValueError, match=r'<!-- benchmark:summary -->'):
        update_summary(str(page), 'seg', [], order=['seg'])
    assert page.read_text() == 'no sections\n'


def _results(tmp_path, teacher, student, baselines, method, ablation=None):
    """A suite's results.json contents, written by the report itself."""
    rows = [Row('teacher', 'teacher', [teacher], [0.1]),
            Row('student, no KD', 'student', student, [0.1] * 3),
            *(Row(label, 'baseline', values, [0.1] * 3) for label, values in baselines.items()),
            Row('ours', 'method', method, [0.1] * 3)]
    if ablation:
        rows.append(Row('ours without a term', 'method', ablation, [0.1] * 3, ablation=True))
    return write_report(str(tmp_path), 'tiny', 'mIoU', rows)


def test_summary_line_compares_our_method_with_the_best_baseline(tmp_path):
    best, ours, student = [80.0, 81.0, 82.5], [82.0, 82.5, 84.5], [70.0, 71.0, 72.0]
    results = _results(tmp_path, 90.0, student,
                       {'weak': [75.0, 75.5, 76.0], 'strong': best}, ours,
                       ablation=[80.0, 80.5, 81.0])
    assert [c['method'] for c in results['comparisons']] == ['ours', 'ours without a term']
    line, = summary_lines('seg', results)  # the ablation stays in the suite's report
    low, high = _interval(ours, best)
    low_s, high_s = _interval(ours, student)
    assert low > 0 and low_s > 0  # both intervals exclude 0: significant wins
    assert line == (f'| seg | mIoU | 90.00 | 71.00 ± 1.00 | strong: 81.17 ± 1.26 | ours: '
                    f'83.00 ± 1.32 | +1.83 [{low:+.2f}, {high:+.2f}], better | +12.00 '
                    f'[{low_s:+.2f}, {high_s:+.2f}], better |')


def _interval(a, b):
    """scipy's 95 % Student-t interval of the paired differences a - b."""
    diffs = [x - y for x, y in zip(a, b)]
    return stats.t.interval(0.95, len(diffs) - 1, loc=statistics.mean(diffs),
                            scale=stats.sem(diffs))


def test_summary_withholds_a_comparison_whose_teacher_does_not_win(tmp_path):
    results = _results(tmp_path, 60.0, [70.0, 71.0, 72.0], {'b': [75.0, 75.5, 76.0]},
                       [80.0, 81.0, 82.0])
    line, = summary_lines('seg', results)
    assert 'withheld: the teacher does not beat the no-KD student' in line


def test_summary_replaces_a_suites_lines_and_keeps_the_others_in_order(tmp_path):
    page = tmp_path / 'README.md'
    start, end = markers('summary')
    page.write_text(f'top\n{start}\n{SUMMARY_HEADER}\n| det | old det |\n| cls | old cls |\n'
                    f'{end}\nbottom\n')
    order = ['seg', 'det', 'cls']
    update_summary(str(page), 'seg', ['| seg | a |', '| seg | b |'], order)
    update_summary(str(page), 'det', ['| det | new det |'], order)
    assert page.read_text() == (f'top\n{start}\n{SUMMARY_HEADER}\n| seg | a |\n| seg | b |\n'
                                f'| det | new det |\n| cls | old cls |\n{end}\nbottom\n')


def test_a_suite_without_teacher_has_no_summary_line(tmp_path):
    rows = [Row('full labels', 'reference', [90.0, 91.0], [0.1] * 2),
            Row('variant', 'variant', [80.0, 81.0], [0.1] * 2)]
    assert summary_lines('spectral', write_report(str(tmp_path), 't', 'mIoU', rows)) == []


@pytest.mark.parametrize('name', sorted(SUITES))
def test_the_benchmark_page_has_a_section_for_every_suite(name):
    with open(osp.join(REPO_ROOT, 'docs', 'benchmarks.md')) as f:
        content = f.read()
    start, end = markers(name)
    assert start in content and end in content


def test_the_readme_has_the_summary_table():
    with open(osp.join(REPO_ROOT, 'README.md')) as f:
        content = f.read()
    start, end = markers('summary')
    assert f'{start}\n{SUMMARY_HEADER}\n' in content and end in content


def test_the_readme_has_the_quick_starts_scores():
    """The quick start (``tools/quickstart.sh``) checks its scores against this section."""
    with open(osp.join(REPO_ROOT, 'README.md')) as f:
        content = f.read()
    start, end = markers('seg-scores')
    assert start in content and end in content
    with open(osp.join(REPO_ROOT, 'tools', 'quickstart.sh')) as f:
        assert '--check README.md' in f.read()
