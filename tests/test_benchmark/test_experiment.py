"""mmfreqkd.benchmark.experiment: shortened schedules, run ends and states, content hashes,
the run of one command (its failure, its peak memory), a config's own epoch schedule, a test of
a checkpoint, a run on two processes."""
import argparse
import json
import os
import os.path as osp
import re
import signal
import subprocess
import sys
import time

import pytest
from conftest import REPO_ROOT, config_path
from mmengine.config import Config

from mmfreqkd.benchmark import (RunEnd, content_hash, evaluate, run_end, run_state,
                                schedule_options, train)
from mmfreqkd.benchmark.experiment import TornLogError, _run
from mmfreqkd.cli import add_runner_args
from mmfreqkd.run_record import RunRecord

RETINANET = 'embedded/retinanet_r18w8_fpn_1xb4-1k_densedet-128x128.py'
STUDENT = 'pspnet_r18w4-d8_1xb8-1k_texseg-64x64.py'


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


def test_run_state_follows_the_run_record_and_the_log(tmp_path):
    """Finished only with an intact last checkpoint and its validation logged; otherwise the
    newest intact checkpoint to resume from (one before the end when the validation is
    missing), or nothing."""
    end = RunEnd('iter_10.pth', 10)
    assert run_state(str(tmp_path), end) == ('new', None)
    record = RunRecord(str(tmp_path))
    for step in (4, 10):
        (tmp_path / f'iter_{step}.pth').write_bytes(b'weights %d' % step)
        record.add(str(tmp_path / f'iter_{step}.pth'))
    resume_4 = ('interrupted', str(tmp_path / 'iter_4.pth'))
    assert run_state(str(tmp_path), end) == resume_4  # no validation yet: redo step 10
    (tmp_path / 'run' / 'vis_data').mkdir(parents=True)
    scalars = tmp_path / 'run' / 'vis_data' / 'scalars.json'
    scalars.write_text(json.dumps(dict(loss=1.0, time=0.1, step=10)))
    assert run_state(str(tmp_path), end) == resume_4  # training record only
    scalars.write_text(json.dumps(dict(loss=1.0, time=0.1, step=10)) + '\n'
                       + json.dumps(dict(mIoU=50.0, step=10)))
    assert run_state(str(tmp_path), end) == ('finished', None)
    (tmp_path / 'iter_10.pth').write_bytes(b'weights 1O')  # same size, other content
    assert run_state(str(tmp_path), end) == resume_4
    (tmp_path / 'iter_10.pth').unlink()
    assert run_state(str(tmp_path), end) == resume_4
    (tmp_path / 'iter_4.pth').write_bytes(b'')
    assert run_state(str(tmp_path), end) == ('new', None)


def test_a_torn_log_line_names_its_file(tmp_path):
    """Issue row 'one torn line in a run's scalars.json': the error names the file and the
    line (the harness moves it aside and redoes the run, test_harness.py)."""
    (tmp_path / 'run' / 'vis_data').mkdir(parents=True)
    scalars = tmp_path / 'run' / 'vis_data' / 'scalars.json'
    scalars.write_text(json.dumps(dict(loss=1.0, step=1)) + '\n{"step": 2, "lo')
    with pytest.raises(TornLogError, match=rf'{re.escape(str(scalars))}: line 2 is not JSON'):
        run_state(str(tmp_path), RunEnd('iter_2.pth', 2))


_ORPHAN = """
import os, sys
from mmfreqkd.benchmark.experiment import TornLogError, _run
from mmfreqkd.run_record import RunRecord
child = ('import os, time; open(%r, "w").write(str(os.getpid())); time.sleep(300)'
         % sys.argv[1])
_run([sys.executable, '-c', child], 'trainer', None)
"""


def _alive(pid):
    try:
        with open(f'/proc/{pid}/status') as f:
            return 'zombie' not in f.read()
    except FileNotFoundError:
        return False


def test_killing_the_harness_ends_its_trainer_and_leaves_no_temp_file(tmp_path):
    """Issue row 'tools/benchmark.py killed (kill -9) during a student run': the trainer
    ends with it, and no file is left in the temporary folder."""
    pid_file, tmp = tmp_path / 'trainer.pid', tmp_path / 'tmp'
    tmp.mkdir()
    harness = subprocess.Popen([sys.executable, '-c', _ORPHAN, str(pid_file)], cwd=REPO_ROOT,
                               env=dict(os.environ, TMPDIR=str(tmp)))
    deadline = time.time() + 120
    while not (pid_file.exists() and pid_file.read_text()):
        assert time.time() < deadline and harness.poll() is None
        time.sleep(0.1)
    trainer = int(pid_file.read_text())
    assert _alive(trainer)
    harness.send_signal(signal.SIGKILL)
    harness.wait()
    deadline = time.time() + 30
    while _alive(trainer) and time.time() < deadline:
        time.sleep(0.1)
    assert not _alive(trainer), 'the trainer outlived the harness'
    assert os.listdir(tmp) == []


def test_run_end_of_our_iteration_schedule_follows_the_options():
    assert run_end('configs/' + RETINANET) == RunEnd('iter_1000.pth', 1000)
    assert run_end('configs/' + RETINANET, ['train_cfg.max_iters=7']) == RunEnd('iter_7.pth', 7)


@pytest.mark.parametrize('config, stock', [
    ('configs/ds2d2/detectors/retinanet_r18_fpn_2x_dior.py',
     'mmdet::_base_/schedules/schedule_2x.py'),
    ('configs/baselines/pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py',
     'mmseg::_base_/schedules/schedule_80k.py'),
])
def test_run_end_of_a_stock_schedule(config, stock, tmp_path):
    """Epoch-based loops end with ``epoch_N.pth`` at validation step N, iteration-based ones
    with ``iter_N.pth``; N as the codebase's stock schedule sets it."""
    (tmp_path / 'stock.py').write_text(f'_base_ = [{stock!r}]\n')
    loop = Config.fromfile(str(tmp_path / 'stock.py')).train_cfg
    name, n = ('epoch', loop.max_epochs) if 'max_epochs' in loop else ('iter', loop.max_iters)
    assert run_end(config) == RunEnd(f'{name}_{n}.pth', n)


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


def test_content_hash_covers_the_files_the_run_reads(tmp_path, monkeypatch):
    """Issue row: ``MMFREQKD_DATA`` set and images removed from it: the hash globbed the
    checkout's (empty) ``data/mmfreqkd/<set>`` and reused teacher and students."""
    config = 'configs/' + RETINANET
    images = tmp_path / 'texseg' / 'img_dir' / 'train'
    images.mkdir(parents=True)
    for i in range(3):
        (images / f'{i}.png').write_bytes(b'x')
    monkeypatch.setenv('MMFREQKD_DATA', str(tmp_path))
    full = content_hash(config, [], 'data/mmfreqkd/texseg')
    os.remove(images / '2.png')
    assert content_hash(config, [], 'data/mmfreqkd/texseg') != full


def test_run_reports_the_kernels_peak_resident_memory():
    """``_run`` returns ``ru_maxrss`` of the child: a process that fills 300 MiB peaks above
    that and below 300 MiB plus the interpreter's own footprint."""
    allocate = 'b = bytearray(300 * 2**20); b[::4096] = b"x" * len(b[::4096])'
    peak = _run([sys.executable, '-c', allocate], 'alloc', progress=None, threads=1)
    assert 300 <= peak < 400


def test_failed_run_names_its_command_and_keeps_its_output():
    with pytest.raises(RuntimeError, match=r'(?s)boom.*failed \(3\).*last words'):
        _run([sys.executable, '-c', 'print("last words"); raise SystemExit(3)'], 'boom', None)


EPOCH_CONFIG = '''_base_ = {student!r}
train_cfg = dict(_delete_=True, type='EpochBasedTrainLoop', max_epochs=1, val_interval=1)
train_dataloader = dict(sampler=dict(type='DefaultSampler', shuffle=True))
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=1, by_epoch=True)]
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=1),
                     logger=dict(interval=10, log_metric_by_epoch=True))
log_processor = dict(by_epoch=True)
# tested on the val split, as the full-size suites report
test_dataloader = dict(dataset=dict(data_prefix=dict(img_path='img_dir/val',
                                                     seg_map_path='ann_dir/val')))
'''


@pytest.mark.usefixtures('embedded_data')
def test_own_epoch_schedule_trains_then_its_checkpoint_tests_to_the_same_metric(tmp_path):
    """A full-size suite's run: the config's own (epoch-based) schedule, finished at
    ``epoch_1.pth``, reused on a second call; testing that checkpoint with ``tools/test.py``
    (as for a teacher given as weights) reproduces the run's final validation exactly."""
    config = tmp_path / 'epoch_texseg.py'
    config.write_text(EPOCH_CONFIG.format(student=config_path('embedded', STUDENT)))
    first = []
    result = train(str(config), str(tmp_path / 'run'), None, 'mIoU', progress=first.append)
    assert result.checkpoint == str(tmp_path / 'run' / 'epoch_1.pth')
    # the progress line of an epoch-based log: 240 images in batches of 8, logged every 10
    assert any(re.search(r': epoch 1, iteration 10/30, eta \d', line) for line in first), first
    assert osp.exists(result.checkpoint) and 'mIoU' in result.metrics
    lines = []
    again = train(str(config), str(tmp_path / 'run'), None, 'mIoU', progress=lines.append)
    assert again.metrics == result.metrics and 'finished earlier, checked and reused' in lines[0]

    tested = evaluate(str(config), result.checkpoint, str(tmp_path / 'test'), 'mIoU',
                      progress=None, trust=True)  # a checkpoint written here
    assert tested.metrics['mIoU'] == result.metrics['mIoU']
    with pytest.raises(RuntimeError, match="reported no 'bbox_mAP'"):
        evaluate(str(config), result.checkpoint, str(tmp_path / 'test'), 'bbox_mAP',
                 progress=None, trust=True)


@pytest.mark.dist
@pytest.mark.usefixtures('embedded_data')
def test_run_on_two_processes(tmp_path):
    """``gpus=2``: the run is launched by torch's launcher (gloo on a CPU) and finishes."""
    result = train('configs/embedded/' + STUDENT, str(tmp_path / 'run'), 4, 'mIoU',
                   progress=None, gpus=2)
    assert result.command[1:4] == ['-m', 'torch.distributed.run', '--standalone']
    log = next(tmp_path.glob('run/*/*.log')).read_text()
    assert 'Distributed training: True' in log and 'mIoU' in result.metrics
