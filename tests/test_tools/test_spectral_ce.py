"""tools/analysis/spectral_ce.py and SpectralMonitorHook on a tiny embedded DeepLabV3+ run."""
import json
import os.path as osp

import pytest
from conftest import config_path
from tools_helpers import CWD, RANDOM_TEACHER, run_tool, tiny_options, write_config

DEEPLAB = config_path('spectral', 'deeplabv3plus_r18w16-d8_1xb8-1k_texseg-64x64.py')


@pytest.mark.usefixtures('embedded_data')
def test_hook_logs_bands_and_the_tool_reports_a_trained_model(tmp_path):
    work = tmp_path / 'run'
    run_tool(['tools/train.py', DEEPLAB, '--work-dir', str(work), '--cfg-options',
              *tiny_options(4), 'custom_hooks.0.interval=2'])
    history = json.load(open(work / 'spectral_monitor' / 'history.json'))
    assert [h['iter'] for h in history] == [2, 4]
    bands = [history[-1][f'spectral/ce_band{i}'] for i in range(4)]
    assert sum(bands) == pytest.approx(1.0) and bands[0] > bands[-1]
    assert osp.isfile(work / 'spectral_monitor' / 'ce_bands.png')

    out = tmp_path / 'report'
    result = run_tool(['tools/analysis/spectral_ce.py', DEEPLAB, str(work / 'iter_4.pth'),
                       '--max-images', '10', '--out-dir', str(out), '--features',
                       'decode_head.bottleneck', '--trust-checkpoint'])
    assert 'Parseval self-check' in result.stdout and '(ok)' in result.stdout
    report = json.load(open(out / 'spectral_report.json'))
    assert report['n_images'] == 10 and report['parseval_max_relative_error'] < 1e-8
    assert 'decode_head.bottleneck' in report['features']
    assert osp.isfile(out / 'ce_spectrum.png') and osp.isfile(out / 'label_feature_spectra.png')


@pytest.mark.usefixtures('embedded_data')
def test_hook_compares_student_and_teacher_records_of_a_distillation_run(tmp_path):
    work = tmp_path / 'cwd'
    config = write_config(tmp_path / 'cwd_monitored.py', f"""
        _base_ = '{CWD}'
        custom_hooks = [dict(type='mmfreqkd.SpectralMonitorHook', interval=1)]
        """)
    run_tool(['tools/train.py', config, '--work-dir', str(work), '--cfg-options',
              *tiny_options(2), *RANDOM_TEACHER])
    last = json.load(open(work / 'spectral_monitor' / 'history.json'))[-1]
    for side in ('student', 'teacher'):
        assert sum(last[f'spectral/logits/{side}_band{i}'] for i in range(4)) == \
            pytest.approx(1.0)
    assert osp.isfile(work / 'spectral_monitor' / 'logits_bands.png')
