"""Helpers of the fault matrix: real runs of tiny embedded configs in fresh processes."""
import os
import os.path as osp
import subprocess
import sys

import torch
from conftest import REPO_ROOT, config_path

SEG_STUDENT = config_path('embedded', 'pspnet_r18w4-d8_1xb8-1k_texseg-64x64.py')
SSTKD = config_path('sstkd', 'sstkd_pspnet_r18w32_pspnet_r18w4_1xb8-1k_texseg-64x64.py')
DS2D2 = config_path('ds2d2', 'ds2d2_retinanet_r18w32_retinanet_r18w8_1xb4-1k_densedet-128x128.py')

#: per config: options that make it train from initialised weights (no trained teacher here)
UNTRAINED = {
    SEG_STUDENT: [],
    SSTKD: ['model.teacher_ckpt=None', 'model.allow_random_teacher=True'],
    DS2D2: ['model.teacher_ckpt=None', 'model.allow_random_teacher=True',
            'model.high_amplifier.checkpoint=None'],
}

KILL_HOOK = '''
import os
import signal

from mmengine.hooks import Hook
from mmengine.registry import HOOKS


@HOOKS.register_module()
class KillAfterIter(Hook):
    """SIGKILL the process after iteration ``at`` (every rank): a crash with no clean-up."""

    priority = 'LOWEST'

    def __init__(self, at):
        self.at = at

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        if runner.iter + 1 == self.at:
            os.kill(os.getpid(), signal.SIGKILL)
'''


def schedule(config, iters, ckpt_interval, val_interval=None, batch_size=2):
    """``--cfg-options`` for a few-iteration run of an embedded config (its schedulers
    shortened, deterministic, logging every iteration)."""
    from mmfreqkd.benchmark import schedule_options
    return [f'train_cfg.max_iters={iters}',
            f'train_cfg.val_interval={val_interval or iters}',
            f'default_hooks.checkpoint.interval={ckpt_interval}',
            f'train_dataloader.batch_size={batch_size}', 'default_hooks.logger.interval=1',
            'randomness.deterministic=True',
            *schedule_options(osp.relpath(config, REPO_ROOT), iters), *UNTRAINED[config]]


def train(config, work_dir, options=(), procs=1, port=29600, extra=(), check=True,
          pythonpath=None):
    """``tools/train.py`` (``procs`` > 1: ``tools/dist_train.sh`` on gloo), with ``pythonpath``
    in front of the inherited ``PYTHONPATH``; the result."""
    python_dir = osp.dirname(sys.executable)
    full_env = dict(os.environ, PYTHONUNBUFFERED='1', PORT=str(port),
                    PATH=python_dir + os.pathsep + os.environ['PATH'])
    if pythonpath:
        full_env['PYTHONPATH'] = os.pathsep.join(
            [str(pythonpath)] + ([os.environ['PYTHONPATH']] if os.environ.get('PYTHONPATH')
                                 else []))
    if procs == 1:
        cmd = [sys.executable, 'tools/train.py', config]
    else:
        cmd = ['bash', 'tools/dist_train.sh', config, str(procs)]
    cmd += ['--work-dir', str(work_dir), *extra, '--cfg-options', *options]
    result = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=1200,
                            env=full_env)
    if check and result.returncode != 0:
        raise AssertionError(f'{cmd} failed ({result.returncode}):\n{result.stdout[-3000:]}\n'
                             f'{result.stderr[-6000:]}')
    return result


def tool(args, check=True):
    """Another tool of tools/ in a fresh interpreter; the result."""
    result = subprocess.run([sys.executable, *args], cwd=REPO_ROOT, capture_output=True,
                            text=True, timeout=900, env=dict(os.environ, PYTHONUNBUFFERED='1'))
    if check and result.returncode != 0:
        raise AssertionError(f'{args} failed ({result.returncode}):\n{result.stdout[-3000:]}\n'
                             f'{result.stderr[-6000:]}')
    return result


def state_dict(path):
    """The weights of a checkpoint this test wrote."""
    return torch.load(path, map_location='cpu', weights_only=False)['state_dict']
