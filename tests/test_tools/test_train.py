"""tools/train.py, tools/dist_train.sh and `mim train`: real runs of tiny configs on the CPU."""
import glob
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest
import torch

from tools_helpers import (REPO_ROOT, STUDENT, run_tool, tiny_options, write_config)

KILL_HOOK = '''
import os
import signal

from mmengine.hooks import Hook
from mmengine.registry import HOOKS


@HOOKS.register_module()
class KillAfterIter(Hook):
    """SIGKILL the process after iteration ``at``: a crash with no clean-up."""

    def __init__(self, at):
        self.at = at

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        if runner.iter + 1 == self.at:
            os.kill(os.getpid(), signal.SIGKILL)
'''


def _weights(path):
    ckpt = torch.load(path, map_location='cpu', weights_only=False)
    return ckpt['state_dict'], ckpt['meta']


@pytest.mark.usefixtures('embedded_data')
def test_resume_after_a_crash_matches_an_uninterrupted_run(tmp_path):
    # Dropout off: resuming restores weights, optimizer, scheduler and data position, not the
    # stream of a dropout RNG, so with dropout the two runs would differ by design.
    opts = tiny_options(6, ckpt_interval=3) + ['model.decode_head.dropout_ratio=0.0']
    run_tool(['tools/train.py', STUDENT, '--work-dir', str(tmp_path / 'full'),
              '--cfg-options', *opts])

    (tmp_path / 'kill_hook.py').write_text(KILL_HOOK)
    crashing = write_config(tmp_path / 'crashing.py', f'''
        _base_ = '{STUDENT}'
        custom_imports = dict(imports=['mmfreqkd', 'kill_hook'], allow_failed_imports=False)
        custom_hooks = [dict(type='KillAfterIter', at=4, priority='LOWEST')]
        ''')
    work = str(tmp_path / 'crash')
    crashed = run_tool(['tools/train.py', crashing, '--work-dir', work, '--cfg-options', *opts],
                       env=dict(PYTHONPATH=str(tmp_path)), check=False)
    assert crashed.returncode == -9, crashed.stderr[-2000:]
    assert sorted(osp.basename(p) for p in glob.glob(osp.join(work, 'iter_*.pth'))) == \
        ['iter_3.pth']

    resumed = run_tool(['tools/train.py', STUDENT, '--work-dir', work, '--resume',
                        '--cfg-options', *opts])
    assert 'resumed epoch: 0, iter: 3' in resumed.stdout + resumed.stderr
    full, full_meta = _weights(tmp_path / 'full' / 'iter_6.pth')
    cont, cont_meta = _weights(osp.join(work, 'iter_6.pth'))
    assert full_meta['iter'] == cont_meta['iter'] == 6
    assert full.keys() == cont.keys()
    for key in full:
        torch.testing.assert_close(cont[key], full[key], rtol=1e-4, atol=1e-5, msg=key)


@pytest.mark.usefixtures('embedded_data')
def test_two_process_distributed_run_on_gloo(tmp_path):
    work = tmp_path / 'dist'
    result = subprocess.run(
        ['bash', 'tools/dist_train.sh', STUDENT, '2', '--work-dir', str(work),
         '--cfg-options', *tiny_options(3)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=900,
        env=dict(os.environ, PORT='29533',
                 PATH=osp.dirname(sys.executable) + os.pathsep + os.environ['PATH']))
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
