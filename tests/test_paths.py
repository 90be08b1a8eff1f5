"""Configs and tools from any directory: a user's config inheriting ours through
``_base_ = 'mmfreqkd::...'`` trains with tools/train.py and with ``mim train mmfreqkd`` from a
folder outside the checkout; the embedded set is found (or generated) where MMFREQKD_DATA
points; a missing checkpoint names both places it was looked for."""
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest
import torch
from conftest import REPO_ROOT

from mmfreqkd.paths import checkout_root, embedded_data_root, find_file

USER_CONFIG = '''
_base_ = ['mmfreqkd::sstkd/sstkd_pspnet_r18w32_pspnet_r18w4_1xb8-1k_texseg-64x64.py']
model = dict(teacher_ckpt=None, allow_random_teacher=True)
train_cfg = dict(max_iters=2, val_interval=2)
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=2, by_epoch=False)]
train_dataloader = dict(batch_size=2)
default_hooks = dict(checkpoint=dict(interval=2), logger=dict(interval=1))
'''


@pytest.fixture(scope='module')
def data_dir(tmp_path_factory):
    """An empty folder for MMFREQKD_DATA: the first run must generate the embedded set there
    (the module's runs share it)."""
    return tmp_path_factory.mktemp('data')


@pytest.fixture
def user_project(tmp_path, data_dir):
    """A project folder outside the checkout with the user's config."""
    project = tmp_path / 'project'
    project.mkdir()
    (project / 'my_sstkd.py').write_text(USER_CONFIG)
    return project, dict(os.environ, PYTHONUNBUFFERED='1', MMFREQKD_DATA=str(data_dir))


def _ran(result, work):
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    assert (work / 'iter_2.pth').exists()


def test_tools_train_from_another_directory(user_project):
    project, env = user_project
    result = subprocess.run(
        [sys.executable, osp.join(REPO_ROOT, 'tools', 'train.py'), 'my_sstkd.py'],
        cwd=project, capture_output=True, text=True, timeout=900, env=env)
    _ran(result, project / 'work_dirs' / 'my_sstkd')
    assert osp.isfile(osp.join(env['MMFREQKD_DATA'], 'texseg', 'manifest.json'))


def test_mim_train_from_another_directory(user_project):
    mim = shutil.which(osp.join(osp.dirname(sys.executable), 'mim'))
    if mim is None:
        pytest.fail('openmim is part of the environment (requirements/runtime.txt)')
    project, env = user_project
    result = subprocess.run([mim, 'train', 'mmfreqkd', 'my_sstkd.py', '--work-dir', 'run'],
                            cwd=project, capture_output=True, text=True, timeout=900, env=env)
    _ran(result, project / 'run')
    state = torch.load(project / 'run' / 'iter_2.pth', map_location='cpu',
                       weights_only=False)['state_dict']
    assert any(k.startswith('architecture.') for k in state)


def test_data_root_and_file_lookup(tmp_path, monkeypatch):
    monkeypatch.delenv('MMFREQKD_DATA', raising=False)
    assert checkout_root() == REPO_ROOT
    assert embedded_data_root() == osp.join(REPO_ROOT, 'data', 'mmfreqkd')
    monkeypatch.setenv('MMFREQKD_DATA', str(tmp_path / 'sets'))
    assert embedded_data_root() == str(tmp_path / 'sets')
    monkeypatch.chdir(tmp_path)
    assert find_file('README.md', 'key') == osp.join(REPO_ROOT, 'README.md')  # the checkout's
    (tmp_path / 'README.md').write_text('mine')
    assert find_file('README.md', 'key') == 'README.md'  # the current directory's first
    with pytest.raises(FileNotFoundError, match=rf"model.teacher_ckpt='work_dirs/none.pth': no "
                       rf'such file, relative to {tmp_path} or {REPO_ROOT}'):
        find_file('work_dirs/none.pth', 'model.teacher_ckpt')
