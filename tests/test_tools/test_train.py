"""tools/train.py, tools/dist_train.sh and `mim train`: real runs of tiny configs on the CPU
(crash and resume: tests/test_reliability/test_exact_resume.py)."""
import json
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest
import torch
from tools_helpers import RANDOM_TEACHER, REPO_ROOT, STUDENT, tiny_options, write_config

PARAM_HOOK = '''
import json
import os
import weakref

import torch.distributed as dist
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.registry import HOOKS


@HOOKS.register_module()
class DumpParameterSums(Hook):
    """Write every parameter's sum, per rank: ranks of a correct DDP run agree. And whether
    the model wrapper was freed before the process group was destroyed."""

    def after_train(self, runner):
        sums = {n: float(p.detach().double().sum()) for n, p in runner.model.named_parameters()}
        with open(os.path.join(runner.work_dir, f'params_rank{get_rank()}.json'), 'w') as f:
            json.dump(sums, f)
        wrapper, path = weakref.ref(runner.model), os.path.join(
            runner.work_dir, f'wrapper_alive_at_destroy_rank{get_rank()}.json')
        destroy = dist.destroy_process_group

        def record_then_destroy(*args, **kwargs):
            with open(path, 'w') as f:
                json.dump(wrapper() is not None, f)
            return destroy(*args, **kwargs)

        dist.destroy_process_group = record_then_destroy
'''


def _project_python_env(tmp_path):
    """An environment whose first ``python`` on PATH is not the project's (it fails loudly):
    the shell tools must find the project's interpreter themselves (its .venv, or $PYTHON
    where the tests run from another environment)."""
    fake = tmp_path / 'fake-bin'
    fake.mkdir()
    (fake / 'python').write_text('#!/bin/sh\necho "not the project\'s python" >&2\nexit 97\n')
    (fake / 'python').chmod(0o755)
    env = dict(os.environ, PATH=str(fake) + os.pathsep + os.environ['PATH'])
    env.pop('PYTHON', None)
    if not osp.exists(osp.join(REPO_ROOT, '.venv', 'bin', 'python')):
        env['PYTHON'] = sys.executable
    return env


@pytest.mark.dist
@pytest.mark.usefixtures('embedded_data')
def test_two_process_distributed_run_on_gloo(tmp_path):
    work = tmp_path / 'dist'
    result = subprocess.run(
        ['bash', 'tools/dist_train.sh', STUDENT, '2', '--work-dir', str(work),
         '--cfg-options', *tiny_options(3)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=900,
        env=dict(_project_python_env(tmp_path), PORT='29533'))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    log = (result.stdout + result.stderr)
    assert 'Distributed launcher: pytorch' in log or 'launcher: pytorch' in log
    assert (work / 'iter_3.pth').exists()
    meta = torch.load(work / 'iter_3.pth', map_location='cpu', weights_only=False)['meta']
    assert meta['iter'] == 3


@pytest.mark.usefixtures('embedded_data')
def test_mim_train_runs_the_package_tool(tmp_path):
    mim = osp.join(osp.dirname(sys.executable), 'mim')
    if not shutil.which(mim):
        pytest.fail('openmim is part of the environment (requirements/runtime.txt)')
    result = subprocess.run(
        [mim, 'train', 'mmfreqkd', STUDENT, '--work-dir', str(tmp_path / 'mim'),
         '--cfg-options', *tiny_options(2)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    assert (tmp_path / 'mim' / 'iter_2.pth').exists()


@pytest.mark.usefixtures('embedded_data')
def test_sstkd_two_process_run_under_separate_ddp(tmp_path):
    """SSTKD's three optimizers under MMSeparateDistributedDataParallel (gloo, 2 processes):
    the ranks see different data yet end with the same student, connectors and critic."""
    config = osp.join(REPO_ROOT, 'configs', 'sstkd',
                      'sstkd_pspnet_r18w32_pspnet_r18w4_1xb8-1k_texseg-64x64.py')
    (tmp_path / 'param_hook.py').write_text(PARAM_HOOK)
    wrapped = write_config(tmp_path / 'sstkd.py', f'''
        _base_ = '{config}'
        custom_imports = dict(imports=['mmfreqkd', 'param_hook'], allow_failed_imports=False)
        custom_hooks = [dict(type='DumpParameterSums')]
        ''')
    work = tmp_path / 'sstkd'
    result = subprocess.run(
        ['bash', 'tools/dist_train.sh', wrapped, '2', '--work-dir', str(work),
         '--cfg-options', *tiny_options(2), *RANDOM_TEACHER],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=900,
        env=dict(os.environ, PORT='29534', PYTHONPATH=str(tmp_path),
                 PATH=osp.dirname(sys.executable) + os.pathsep + os.environ['PATH']))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    ckpt = torch.load(work / 'iter_2.pth', map_location='cpu', weights_only=False)
    assert set(ckpt['optimizer']) == {'architecture', 'distiller', 'discriminator'}
    assert any(k.startswith('discriminator.') for k in ckpt['state_dict'])
    # freed while the interpreter is alive, not at exit where its teardown can abort a rank
    assert [json.loads((work / f'wrapper_alive_at_destroy_rank{r}.json').read_text())
            for r in (0, 1)] == [False, False]
    ranks = [json.loads((work / f'params_rank{r}.json').read_text()) for r in (0, 1)]
    assert ranks[0].keys() == ranks[1].keys()
    for group in ('architecture.', 'distiller.', 'discriminator.'):
        names = [n for n in ranks[0] if n.startswith('module.' + group)]  # the wrapper's names
        assert names, group
        for name in names:
            assert ranks[0][name] == pytest.approx(ranks[1][name], rel=1e-6, abs=1e-8), name
