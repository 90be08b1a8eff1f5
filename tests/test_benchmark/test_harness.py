"""mmfreqkd.benchmark.harness: a real 2-row, 1-seed, few-iteration suite on the embedded
texture set (two runs at a time) writes its report, stamped with what it was made from; the
same suite from nothing gives the same numbers; a rerun trains nothing; an interrupted run
resumes."""
import dataclasses
import json
import os.path as osp
import re
import shutil

import pytest
import torch
from conftest import REPO_ROOT
from mmengine.config import Config

from mmfreqkd.benchmark import FULL_SUITES, SUITES, Suite, provenance, run_suite, stale_report
from mmfreqkd.benchmark.experiment import data_folder
from mmfreqkd.benchmark.suites import ablated

ITERS = 4


@pytest.fixture(scope='module')
def suite():
    seg = SUITES['seg']
    return Suite(name='tiny', dataset=seg.dataset, metric=seg.metric, iters=ITERS,
                 input_size=seg.input_size, teacher=seg.teacher, entries=seg.entries[:2])


@pytest.mark.slow
@pytest.mark.usefixtures('embedded_data')
def test_suite_reports_reruns_nothing_and_resumes(suite, tmp_path):
    lines = []
    results = run_suite(suite, str(tmp_path), seeds=[0], progress=lines.append, jobs=2)
    report = (tmp_path / 'tiny' / 'report.md').read_text()
    for label in ('teacher', 'student, no KD', 'mmrazor CWD'):
        assert f'| {label} |' in report
    assert [r['label'] for r in results['rows']] == ['teacher', 'student, no KD', 'mmrazor CWD']
    for chart in ('metric.png', 'step_time.png', 'metric_vs_time.png'):
        assert (tmp_path / 'tiny' / chart).exists()
    assert 'parameters' in results['student'] and 'GFLOPs' in results['student']
    # the baseline's run is submitted before the student's: the longest runs first
    assert any('[2/3] mmrazor CWD, seed 0' in line for line in lines)
    assert any('[3/3] student, no KD, seed 0' in line for line in lines)
    assert json.loads((tmp_path / 'tiny' / 'results.json').read_text())['rows'][1]['values']
    # host memory of each training process: at least the interpreter with torch and mm* loaded
    assert all(row['peak_rss'] > 200 for row in results['rows'])
    assert 'peak resident memory of the training process' in report
    # every run scored on the test split, its validation (on val) beside
    assert '| run | role | mIoU, test | val |' in report
    for row in results['rows']:
        assert len(row['val_values']) == len(row['values']) == 1
    run = next((tmp_path / 'tiny').glob('runs/mmrazor-cwd-*_seed0'))
    tested = json.loads(next(run.glob('test/*/*.json')).read_text())
    assert results['rows'][2]['values'] == [tested['mIoU']]
    test_config = next(run.glob('test/*/vis_data/config.py')).read_text()
    assert "img_path='img_dir/test'" in test_config
    # each run's test is a command of its own; tested once, like the training
    tests = [line for line in lines if '$ ' in line and 'tools/test.py' in line]
    assert len(tests) == 3 and all('--trust-checkpoint' in line for line in tests)

    # what the runs were made from, checked against the references it names
    made = results['provenance']
    assert made['training_code'] == provenance.training_code_hash()
    assert made['data'] == provenance.data_hash(data_folder('data/mmfreqkd/texseg'))
    assert f'Made from commit `{made["commit"]}`' in report
    assert stale_report(suite, results) is None

    # determinism: the student's run again, from nothing, in another root and alone (on every
    # thread instead of one beside another run) gives the same scores to the last digit
    alone = dataclasses.replace(suite, name='tiny-again', teacher=None, entries=[
        dataclasses.replace(suite.entries[0], role='reference')])
    twice = run_suite(alone, str(tmp_path / 'again'), seeds=[0], progress=None)
    assert [(r['values'], r['val_values']) for r in twice['rows']] == \
        [(results['rows'][1]['values'], results['rows'][1]['val_values'])]

    lines.clear()
    again = run_suite(suite, str(tmp_path), seeds=[0], progress=lines.append)
    assert sum('finished earlier, checked and reused' in line for line in lines) == 3
    assert not any('$ ' in line for line in lines)
    assert again['rows'] == results['rows']

    # an ablation row runs only when asked for; the report names it when it does not
    ablation = dataclasses.replace(suite.entries[1], ablation=True)
    optional = dataclasses.replace(suite, entries=[suite.entries[0], ablation])
    without = run_suite(optional, str(tmp_path), seeds=[0], progress=None)
    assert [r['label'] for r in without['rows']] == ['teacher', 'student, no KD']
    assert ('Ablation rows not run (`--ablations` runs them): mmrazor CWD.'
            in (tmp_path / 'tiny' / 'report.md').read_text())
    rows = run_suite(optional, str(tmp_path), seeds=[0], progress=None, ablations=True)['rows']
    assert [row.pop('ablation') for row in rows] == [False, False, True]  # reported as such
    assert rows == [{k: v for k, v in row.items() if k != 'ablation'} for row in results['rows']]

    # interrupt the CWD run after iteration 3: its last checkpoint is then iter_3
    run = next((tmp_path / 'tiny').glob('runs/mmrazor-cwd-*_seed0'))
    first_peak = results['rows'][2]['peak_rss']
    (run / f'iter_{ITERS}.pth').unlink()
    (run / 'last_checkpoint').write_text(str(run / 'iter_3.pth'))
    lines.clear()
    run_suite(suite, str(tmp_path), seeds=[0], progress=lines.append)
    commands = [line for line in lines if '$ ' in line and 'tools/train.py' in line]
    assert len(commands) == 1 and 'mmrazor CWD' in commands[0] and '--resume' in commands[0]
    assert (run / f'iter_{ITERS}.pth').exists()
    # the run's peak memory is the larger of its two attempts
    assert json.loads((run / 'peak_rss_mib.json').read_text())['peak_rss_mib'] >= first_peak

    # issue row 'a finished harness run whose teacher export is truncated': exported again,
    # nothing trained
    exported = next((tmp_path / 'teachers').glob('tiny-*/exported.pth'))
    exported.write_bytes(exported.read_bytes()[:100])
    lines.clear()
    assert run_suite(suite, str(tmp_path), seeds=[0], progress=lines.append)['rows'][0] == \
        results['rows'][0]
    assert not any('$ ' in line for line in lines)
    assert torch.load(exported, map_location='cpu', weights_only=True)

    # rows 'whose final validation line is missing' and 'one torn line in scalars.json': the
    # torn log is named and set aside, the run redone from its checkpoint before the end, to
    # the same result (on the same single thread as the first time)
    student = next((tmp_path / 'tiny').glob('runs/student-no-kd-*_seed0'))
    scalars = next(student.glob('*/vis_data/scalars.json'))
    training_lines = [line for line in scalars.read_text().splitlines() if '"loss"' in line]
    scalars.write_text('\n'.join(training_lines) + '\n{"step": 4, "mIo')
    lines.clear()
    redone = run_suite(suite, str(tmp_path), seeds=[0], progress=lines.append, jobs=2)
    assert any(f'{scalars}: line {len(training_lines) + 1} is not JSON' in line
               and 'moved aside' in line for line in lines)
    commands = [line for line in lines if '$ ' in line and 'tools/train.py' in line]
    assert len(commands) == 1 and 'student, no KD' in commands[0]
    assert f'--resume {student / "iter_3.pth"}' in commands[0]
    assert redone['rows'][1]['values'] == results['rows'][1]['values']

    # --calibrate: a second CWD row with its term calibrated, the finished rows reused
    lines.clear()
    calibrated = run_suite(suite, str(tmp_path), seeds=[0], progress=lines.append,
                           calibrate=0.5)
    assert [r['label'] for r in calibrated['rows']] == [
        'teacher', 'student, no KD', 'mmrazor CWD', 'mmrazor CWD, calibrated to 0.5']
    commands = [line for line in lines if '$ ' in line and 'tools/train.py' in line]
    assert len(commands) == 1 and 'model.calibration.target=0.5' in commands[0]
    log = next((tmp_path / 'tiny').glob('runs/mmrazor-cwd-calibrated-to-0-5-*_seed0/*/*.log'))
    assert 'LossCalibrationHook: loss multipliers' in log.read_text()

    # --tune: the CWD row's grid (as configured, calibrated to 0.5) is the two runs above,
    # reused; the one with the better validation is the row; the other is never tested
    lines.clear()
    tuned = run_suite(suite, str(tmp_path), seeds=[0], progress=lines.append, tune=[0.5])
    assert not any('tools/train.py' in line and '$ ' in line for line in lines)
    grid = [calibrated['rows'][2], calibrated['rows'][3]]
    val = [row['val_values'][0] for row in grid]
    assert tuned['tuning'] == [dict(row='mmrazor CWD', settings=['as configured', '0.5'],
                                    scores=val, chosen=val.index(max(val)))]
    chosen = grid[val.index(max(val))]
    assert tuned['rows'][2]['label'] == chosen['label']
    assert tuned['rows'][2]['values'] == chosen['values']
    (tmp_path / 'tiny' / 'report.md').read_text().index('Tuning: every distillation row')
    assert (tmp_path / 'tiny' / 'tuning.png').exists()
    # the test split was not read for the choice: tuning scored no run on it
    lines.clear()
    for path in (tmp_path / 'tiny').glob('runs/mmrazor-cwd*_seed0/test'):
        shutil.rmtree(path)
    run_suite(suite, str(tmp_path), seeds=[0], progress=lines.append, tune=[0.5])
    tests = [line for line in lines if '$ ' in line and 'tools/test.py' in line]
    assert len(tests) == 1 and chosen['label'] in tests[0]
    tested = [p.parent.name for p in (tmp_path / 'tiny').glob('runs/mmrazor-cwd*_seed0/test')]
    slug = re.sub(r'[^a-z0-9]+', '-', chosen['label'].lower())
    assert len(tested) == 1 and re.fullmatch(slug + r'-[0-9a-f]{12}_seed0', tested[0])
    # an ablation of the tuned row trains at the setting chosen for it, not as configured
    part = ablated(suite.entries[1], 'nothing', 'default_hooks.logger.interval=1')
    with_part = dataclasses.replace(suite, entries=[*suite.entries, part])
    lines.clear()
    rows = run_suite(with_part, str(tmp_path), seeds=[0], progress=lines.append, tune=[0.5],
                     ablations=True)['rows']
    commands = [line for line in lines if '$ ' in line and 'tools/train.py' in line]
    assert len(commands) == 1 and 'without nothing' in commands[0]
    assert ('model.calibration.target=0.5' in commands[0]) == (chosen is grid[1])
    assert rows[-1]['label'] == ('mmrazor CWD without nothing'
                                 + (', calibrated to 0.5' if chosen is grid[1] else ''))
    assert rows[-1]['parent'] == chosen['label']  # and compared with it, seed by seed
    # rows of equal content (a grid point equal to the row as configured, a relabelled row)
    # are one run: trained once when queued together, reused from its work dir later
    changed = ablated(suite.entries[1], 'x', 'default_hooks.logger.interval=2')
    first, second, third = (dataclasses.replace(changed, label=label, ablation=False, parent=None)
                            for label in ('first twin', 'second twin', 'third twin'))
    lines.clear()
    twins = run_suite(dataclasses.replace(suite, entries=[suite.entries[0], first, second]),
                      str(tmp_path), seeds=[0], progress=lines.append, jobs=2)['rows']
    commands = [line for line in lines if '$ ' in line and 'tools/train.py' in line]
    assert len(commands) == 1 and 'first twin' in commands[0]
    assert any(line.endswith('second twin, seed 0: the same run as first twin, seed 0')
               for line in lines)
    assert twins[2]['values'] == twins[3]['values'] and twins[3]['label'] == 'second twin'
    lines.clear()
    rows = run_suite(dataclasses.replace(suite, entries=[suite.entries[0], third]),
                     str(tmp_path), seeds=[0], progress=lines.append)['rows']
    assert not any('$ ' in line for line in lines)
    assert rows[2]['label'] == 'third twin' and rows[2]['values'] == twins[2]['values']


@pytest.mark.slow
@pytest.mark.usefixtures('embedded_data')
def test_suite_without_teacher_compares_variants_with_the_reference(tmp_path):
    """The spectral suite's shape: no teacher, each variant paired with the reference, every
    row's FLOPs (torch's counter sees the truncated decoder run on smaller maps), and the
    suite's analysis added to the report; the convergence check trains the reference (the
    student row) at half and twice the schedule, the longest validated 4 times."""
    spectral = SUITES['spectral']
    suite = Suite(name='tiny-spectral', dataset=spectral.dataset, metric=spectral.metric,
                  iters=ITERS, input_size=spectral.input_size, teacher=None,
                  entries=spectral.entries[:2], flops_per_row=True,
                  analysis=spectral.analysis, test=False)
    results = run_suite(suite, str(tmp_path), seeds=[0], progress=None, converge=[0.5, 2])
    full, truncated = results['rows']
    assert (full['role'], truncated['role']) == ('reference', 'variant')
    assert truncated['gflops'] < full['gflops']
    assert results['comparisons'][0]['baseline'] == 'full labels'
    report = (tmp_path / 'tiny-spectral' / 'report.md').read_text()
    assert 'step vs full labels' in report and '| label energy (without DC) |' in report
    assert not (tmp_path / 'teachers').exists()
    convergence = results['convergence']
    lengths = dict(convergence['lengths'])
    assert sorted(lengths) == [ITERS // 2, ITERS, 2 * ITERS]
    assert lengths[ITERS] == full['values'][0]  # the suite's own run, not a retrained one
    assert [step for step, _ in convergence['curve']] == [2, 4, 6, 8]
    assert convergence['curve'][-1][1] == lengths[2 * ITERS]
    assert len(list((tmp_path / 'tiny-spectral' / 'runs').glob('full-labels-*'))) == 3
    assert '| schedule (iterations) | 2 | **4** | 8 |' in report
    assert (tmp_path / 'tiny-spectral' / 'convergence.png').exists()


@pytest.mark.slow
@pytest.mark.usefixtures('embedded_data')
def test_a_run_that_stops_is_reported_and_the_suite_goes_on(tmp_path):
    """A row whose loss becomes non-finite (a learning rate of 1e30) stops at the guard; the
    other rows are still trained and reported, the stopped one names its reason."""
    seg = SUITES['seg']
    diverging = dataclasses.replace(
        seg.entries[0], label='diverging', role='variant',
        options=lambda artifacts: ['optim_wrapper.optimizer.lr=1e30'])
    suite = Suite(name='tiny-stops', dataset=seg.dataset, metric=seg.metric, iters=ITERS,
                  input_size=seg.input_size, teacher=None,
                  entries=[dataclasses.replace(seg.entries[0], role='reference'), diverging])
    results = run_suite(suite, str(tmp_path), seeds=[0], progress=None)
    reference, stopped = results['rows']
    assert reference['values'] and not reference['failures']
    assert stopped['values'] == [] and len(stopped['failures']) == 1
    assert re.match(r'seed 0: NonFiniteError: iteration \d+: non-finite loss terms .*\)$',
                    stopped['failures'][0])
    assert results['comparisons'] == [] and results['failed']
    # issue row 'a suite with a failed row': its report goes beside the last good one
    assert not (tmp_path / 'tiny-stops' / 'report.md').exists()
    report = (tmp_path / 'tiny-stops' / 'failed' / 'report.md').read_text()
    assert '| diverging | variant | stopped | - | 0 (1 stopped) |' in report
    assert 'Runs that stopped' in report and '- diverging, seed 0: ' in report


@pytest.mark.parametrize('name', sorted(SUITES))
def test_quick_suite_configs_train_on_the_suites_embedded_set(name):
    suite = SUITES[name]
    configs = [*([suite.teacher] if suite.teacher else []), *(s.config for s in suite.stages),
               *(e.config for e in suite.entries)]
    for config in configs:
        cfg = Config.fromfile(osp.join(REPO_ROOT, config))
        root = cfg.train_dataloader.dataset.get('data_root') or cfg.data_root
        # the set's folder, or a split inside it
        assert f'mmfreqkd/{suite.dataset}/' in root.rstrip('/') + '/', (config, root)


@pytest.mark.parametrize('name', sorted(FULL_SUITES))
def test_full_size_suite_configs_resolve(name):
    suite = FULL_SUITES[name]
    assert suite.dataset is None and suite.iters is None and suite.data_root
    for config in [suite.teacher, *(s.config for s in suite.stages),
                   *(e.config for e in suite.entries)]:
        assert 'train_cfg' in Config.fromfile(osp.join(REPO_ROOT, config)), config


def test_full_size_suite_without_its_data_says_where_it_looks(tmp_path):
    suite = dataclasses.replace(FULL_SUITES['det'], data_root=str(tmp_path / 'DIOR'))
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path / 'DIOR')) + '.*COCO'):
        run_suite(suite, str(tmp_path / 'work'), seeds=[0], progress=None)
    assert not (tmp_path / 'work').exists()
