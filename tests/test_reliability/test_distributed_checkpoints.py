"""Rows 'a 2-process SSTKD run (separate DDP), then --resume' and 'tools/test.py on that
checkpoint': what a run saves under mmengine's MMSeparateDistributedDataParallel loads, key for
key, into the unwrapped algorithm, into a 1- or 2-process resume and into tools/test.py; older
checkpoints with wrapper-named keys load too."""
import ast
import copy
import json
import re

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from runs import SSTKD, schedule, state_dict, tool, train

from mmfreqkd.run_record import RECORD_FILE, RunRecord

pytestmark = [pytest.mark.slow, pytest.mark.dist]

OPTIONS = schedule(SSTKD, iters=4, ckpt_interval=4)


@pytest.fixture(scope='module')
def sstkd_run(embedded_data, tmp_path_factory):
    """A 2-process SSTKD run on gloo: its work dir and last checkpoint."""
    work = tmp_path_factory.mktemp('sstkd_2proc')
    train(SSTKD, work, OPTIONS, procs=2, port=29650)
    return work, work / 'iter_4.pth'


def _unwrapped_model(work_dir):
    cfg = Config.fromfile(SSTKD)
    cfg.merge_from_dict(dict(model=dict(teacher_ckpt=None, allow_random_teacher=True),
                             work_dir=str(work_dir)))
    init_default_scope(cfg.default_scope)
    return Runner.from_cfg(copy.deepcopy(cfg))


def test_separate_ddp_checkpoint_loads_every_tensor_into_the_unwrapped_algorithm(
        sstkd_run, tmp_path):
    work, ckpt = sstkd_run
    saved = state_dict(ckpt)
    assert not [k for k in saved if '.module.' in k or k.startswith('module.')]
    runner = _unwrapped_model(tmp_path / 'load')
    own = runner.model.state_dict()
    assert set(saved) == set(own)
    runner.cfg.trust_load_from = True  # a run's checkpoint pickles more than weights
    runner.load_checkpoint(str(ckpt))
    for key, value in runner.model.state_dict().items():
        assert torch.equal(value, saved[key]), key


@pytest.mark.parametrize('procs', [1, 2])
def test_resume_of_a_separate_ddp_checkpoint_restores_every_tensor(sstkd_run, procs, tmp_path):
    work, ckpt = sstkd_run
    resume_dir = tmp_path / 'resume'
    resume_dir.mkdir()
    (resume_dir / 'iter_4.pth').write_bytes(ckpt.read_bytes())
    # the run record moves with it: the checkpoint is still one a run of this work dir saved
    (resume_dir / RECORD_FILE).write_text(json.dumps(dict(checkpoints=[
        c for c in RunRecord(str(work)).checkpoints if c['file'] == 'iter_4.pth'])))
    (resume_dir / 'last_checkpoint').write_text(str(resume_dir / 'iter_4.pth'))
    options = schedule(SSTKD, iters=5, ckpt_interval=5)
    result = train(SSTKD, resume_dir, options, procs=procs, port=29660 + procs,
                   extra=['--resume'])
    log = result.stdout + result.stderr
    assert 'resumed epoch: 0, iter: 4' in log
    assert 'missing keys' not in log and 'unexpected key' not in log
    before, after = state_dict(ckpt), state_dict(resume_dir / 'iter_5.pth')
    # one more step from the loaded weights: every trained weight moved a little, none jumped
    # as a re-initialised one would (normalisation statistics, near 0 after 4 steps, follow the
    # batch by their momentum and are left out)
    for key in before:
        if before[key].is_floating_point() and key.startswith(('architecture.', 'distiller.')) \
                and '.running_' not in key:
            change = (after[key] - before[key]).abs().max()
            assert change < 0.5 * before[key].abs().max() + 1e-3, key


def _test_metrics(config, checkpoint, *extra):
    result = tool(['tools/test.py', config, str(checkpoint), *extra])
    return ast.literal_eval(re.findall(r"^\{.*'mIoU'.*\}$", result.stdout, re.M)[-1])


def test_tools_test_scores_the_trained_student(sstkd_run, tmp_path):
    work, ckpt = sstkd_run
    tool(['tools/export_student.py', SSTKD, str(ckpt), str(tmp_path / 'student.pth'),
          '--trust-checkpoint'])
    distill = _test_metrics(SSTKD, ckpt, '--work-dir', str(work), '--cfg-options',
                            'model.teacher_ckpt=None', 'model.allow_random_teacher=True')
    student = _test_metrics(str(tmp_path / 'student.py'), tmp_path / 'student.pth',
                            '--work-dir', str(tmp_path / 'student_test'))
    assert distill == student


def test_checkpoint_with_wrapper_named_keys_still_loads(sstkd_run, tmp_path):
    """A checkpoint written before the fix (``architecture.module.x``) loads every tensor."""
    work, ckpt = sstkd_run
    full = torch.load(ckpt, map_location='cpu', weights_only=False)
    wrapped = ('architecture.', 'distiller.', 'discriminator.')
    full['state_dict'] = {
        (k.replace('.', '.module.', 1) if k.startswith(wrapped) else k): v
        for k, v in full['state_dict'].items()}
    legacy = tmp_path / 'legacy.pth'
    torch.save(full, legacy)
    runner = _unwrapped_model(tmp_path / 'load')
    runner.cfg.strict_load_from = runner.cfg.trust_load_from = True
    runner.load_checkpoint(str(legacy))
    saved = state_dict(ckpt)
    for key, value in runner.model.state_dict().items():
        assert torch.equal(value, saved[key]), key
