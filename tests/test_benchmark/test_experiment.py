"""mmfreqkd.benchmark.experiment: shortened schedules, run states, content hashes, the run
of one command (its failure, its peak memory)."""
import argparse
import json
import sys

import pytest
from mmengine.config import Config

from mmfreqkd.benchmark import content_hash, run_state, schedule_options
from mmfreqkd.benchmark.experiment import _run
from mmfreqkd.cli import add_runner_args
from conftest import config_path

RETINANET = 'embedded/retinanet_r18w8_fpn_1xb4-1k_densedet-128x128.py'


def test_schedule_options_keep_the_warm_up_and_scale_the_decay():
    """Shortened runs: the warm-up keeps its length, the decay ends (and steps) in proportion;
    the options parse with mmengine's own --cfg-options parser."""
    cfg = Config.fromfile(config_path(*RETINANET.split('/')))
    parser = argparse.ArgumentParser()
    add_runner_args(parser)
    args = parser.parse_args(['--cfg-options', *schedule_options('configs/' + RETINANET, 200)])
    cfg.merge_from_dict(args.cfg_options)
    warm_up, decay = cfg.param_scheduler
    assert (warm_up.type, warm_up.end) == ('LinearLR', 100)
    assert decay.end == 200 and decay.milestones == [150]


def test_run_state_finished_interrupted_new(tmp_path):
    assert run_state(str(tmp_path), 10, 'mIoU') == 'new'
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_4.pth'))
    assert run_state(str(tmp_path), 10, 'mIoU') == 'interrupted'
    (tmp_path / 'iter_10.pth').write_bytes(b'')
    assert run_state(str(tmp_path), 10, 'mIoU') == 'interrupted'  # no validation yet
    (tmp_path / 'run' / 'vis_data').mkdir(parents=True)
    scalars = tmp_path / 'run' / 'vis_data' / 'scalars.json'
    scalars.write_text(json.dumps(dict(loss=1.0, time=0.1, step=10)))
    assert run_state(str(tmp_path), 10, 'mIoU') == 'interrupted'  # training record only
    scalars.write_text(json.dumps(dict(loss=1.0, time=0.1, step=10)) + '\n'
                       + json.dumps(dict(mIoU=50.0, step=10)))
    assert run_state(str(tmp_path), 10, 'mIoU') == 'finished'


def test_content_hash_follows_config_options_and_data(tmp_path):
    config = 'configs/' + RETINANET
    base = content_hash(config, [])
    assert content_hash(config, []) == base
    assert content_hash(config, ['train_cfg.max_iters=7']) != base
    data = tmp_path / 'set'
    data.mkdir()
    (data / 'a.png').write_bytes(b'12')
    with_data = content_hash(config, [], str(data))
    (data / 'a.png').write_bytes(b'123')
    assert content_hash(config, [], str(data)) != with_data


def test_run_reports_the_kernels_peak_resident_memory():
    """``_run`` returns ``ru_maxrss`` of the child: a process that fills 300 MiB peaks above
    that and below 300 MiB plus the interpreter's own footprint."""
    allocate = 'b = bytearray(300 * 2**20); b[::4096] = b"x" * len(b[::4096])'
    peak = _run([sys.executable, '-c', allocate], 'alloc', progress=None, threads=1)
    assert 300 <= peak < 400


def test_failed_run_names_its_command_and_keeps_its_output():
    with pytest.raises(RuntimeError, match=r'(?s)boom.*failed \(3\).*last words'):
        _run([sys.executable, '-c', 'print("last words"); raise SystemExit(3)'], 'boom', None)
