"""Helpers for the tool tests: run a tool in a fresh interpreter, write small configs."""
import os
import os.path as osp
import subprocess
import sys
import textwrap

from conftest import REPO_ROOT

PYTHON = sys.executable
STUDENT = osp.join(REPO_ROOT, 'configs', 'embedded', 'pspnet_r18w4-d8_1xb8-1k_texseg-64x64.py')
TEACHER = osp.join(REPO_ROOT, 'configs', 'embedded', 'pspnet_r18w32-d8_1xb8-1k_texseg-64x64.py')
CWD = osp.join(REPO_ROOT, 'configs', 'baselines',
               'cwd_logits_pspnet_r18w32_pspnet_r18w4_texseg.py')

#: ``--cfg-options`` of a distillation config whose teacher is not trained here
RANDOM_TEACHER = ['model.teacher_ckpt=None', 'model.allow_random_teacher=True']


def tiny_options(iters, ckpt_interval=None, batch_size=2):
    """``--cfg-options`` that shrink an embedded texseg config to ``iters`` iterations."""
    return [f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
            f'default_hooks.checkpoint.interval={ckpt_interval or iters}',
            f'param_scheduler.0.end={iters}', f'train_dataloader.batch_size={batch_size}',
            'default_hooks.logger.interval=1']


def run_tool(args, timeout=900, env=None, check=True):
    """Run ``args`` (a tool and its arguments) with this interpreter; return the result."""
    full_env = dict(os.environ, PYTHONUNBUFFERED='1', **(env or {}))
    result = subprocess.run([PYTHON, *args], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=timeout, env=full_env)
    if check and result.returncode != 0:
        raise AssertionError(f'{args} failed ({result.returncode}):\n'
                             f'{result.stdout[-3000:]}\n{result.stderr[-5000:]}')
    return result


def write_config(path, text):
    with open(path, 'w') as f:
        f.write(textwrap.dedent(text))
    return str(path)
