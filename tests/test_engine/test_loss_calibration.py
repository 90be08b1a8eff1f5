"""Loss calibration in a real (in-process) distillation run: the multipliers make every term's
gradient share its target (gradients taken directly with torch.autograd.grad), are saved with
the model, and a resumed run keeps them and ends exactly as an uninterrupted one."""
import copy

import pytest
import torch
from conftest import config_path
from mmengine.config import Config

from mmfreqkd.cli import build_runner
from mmfreqkd.engine import capture_random_state, loss_calibration_hook, restore_random_state
from mmfreqkd.engine.loss_balance import loss_terms, student_parameters, training_losses
from mmfreqkd.engine.loss_calibration import calibrate

CWD = config_path('baselines', 'cwd_logits_pspnet_r18w32_pspnet_r18w4_texseg.py')


def _cfg(work_dir, iters=4, **calibration):
    cfg = Config.fromfile(CWD)
    cfg.merge_from_dict({
        'train_cfg.max_iters': iters, 'train_cfg.val_interval': 4,
        'default_hooks.checkpoint.interval': 2, 'default_hooks.logger.interval': 1,
        'train_dataloader.batch_size': 2, 'train_dataloader.num_workers': 0,
        'param_scheduler.0.end': 4, 'model.teacher_ckpt': None,
        'model.allow_random_teacher': True, 'randomness.deterministic': True,
        'model.calibration': dict(batches=2, **calibration), 'work_dir': str(work_dir)})
    return cfg


def _norm(loss, params):
    grads = torch.autograd.grad(loss, params, retain_graph=True, allow_unused=True)
    return float(torch.sqrt(sum(g.pow(2).sum() for g in grads if g is not None)))


@pytest.mark.usefixtures('embedded_data')
def test_calibrated_share_is_the_target_and_resume_keeps_it_exactly(tmp_path, monkeypatch):
    seen = {}

    def spy(model, batches):  # keep the batches and weights the calibration saw
        iterator = iter(batches)
        seen['batches'] = [next(iterator) for _ in range(model.loss_scales.batches)]
        seen['weights'] = copy.deepcopy(model.state_dict())
        seen['random'] = capture_random_state()  # the dropout masks of the measurement
        return calibrate(model, seen['batches'])

    monkeypatch.setattr(loss_calibration_hook, 'calibrate', spy)
    full = build_runner(_cfg(tmp_path / 'full', target=0.5))
    full.train()
    model = full.model
    assert model.loss_scales.calibrated and model.loss_scales.scales['distill.loss_cwd'] > 0

    fresh = build_runner(_cfg(tmp_path / 'measure', target=0.5)).model
    fresh.load_state_dict(seen['weights'])
    fresh.loss_scales.set(model.loss_scales.scales)
    fresh.train()
    params = [p for _, p in student_parameters(fresh)]
    task = cwd = 0.
    restore_random_state(seen['random'])
    for batch in seen['batches']:
        losses = loss_terms(training_losses(fresh, batch))
        task += _norm(sum(v for k, v in losses.items() if k.startswith('student.')), params)
        cwd += _norm(losses['distill.loss_cwd'], params)
    assert cwd / task == pytest.approx(0.5, rel=1e-4)

    # interrupted at iteration 2, resumed without calibrating again
    build_runner(_cfg(tmp_path / 'resumed', iters=2, target=0.5)).train()

    def refuse(*args):
        raise AssertionError('a resumed run calibrated again')

    monkeypatch.setattr(loss_calibration_hook, 'calibrate', refuse)
    cfg = _cfg(tmp_path / 'resumed', target=0.5)
    cfg.resume = True
    resumed = build_runner(cfg)
    resumed.train()
    assert resumed.model.loss_scales.scales == model.loss_scales.scales
    trained, reference = resumed.model.state_dict(), model.state_dict()
    assert all(torch.equal(trained[k], reference[k]) for k in reference
               if torch.is_tensor(reference[k]))


@pytest.mark.usefixtures('embedded_data')
def test_training_without_the_hook_is_refused(tmp_path):
    cfg = _cfg(tmp_path)
    cfg.runner_type = 'Runner'  # mmengine's: it adds no hook
    with pytest.raises(RuntimeError, match='LossCalibrationHook'):
        build_runner(cfg).train()


@pytest.mark.usefixtures('embedded_data')
def test_targets_must_name_loss_terms(tmp_path):
    cfg = _cfg(tmp_path, targets={'distill.loss_cdw': 1.0})
    with pytest.raises(KeyError, match=r"loss_cdw.*match no loss term.*'distill.loss_cwd'"):
        build_runner(cfg).train()
