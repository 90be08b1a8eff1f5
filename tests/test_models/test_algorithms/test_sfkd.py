"""SFKD as configured (``mmfreqkd.SingleTeacherKD`` + ``mmfreqkd.FreqKDDistiller``: logit KD,
wavelet band loss and GFFL on the DS2S-refined student map) on the embedded transformer ->
CNN classification pair: every term is non-zero and trains the student, DS2S runs once per step
for both losses, and the feature-loss baselines switch SFKD's losses and refiner off."""
import pytest
import torch
from conftest import build_for_training as build
from conftest import config_path, distill_losses
from mmengine.config import Config

from mmfreqkd.models.connectors import DS2SRefiner

PAIR = 'mobilevit-s3_resnet18w4_1xb64-1k_texcls-32x32.py'


def load_cfg(name=f'sfkd_{PAIR}', *folders):
    cfg = Config.fromfile(config_path('sfkd', *folders, name))
    cfg.model.teacher_ckpt = None
    cfg.model.allow_random_teacher = True
    return cfg


@pytest.mark.usefixtures('embedded_data')
def test_every_term_is_nonzero_and_trains_the_student_not_the_teacher():
    torch.manual_seed(0)
    cfg = load_cfg()
    model, _ = build(cfg)
    losses = distill_losses(model, cfg)
    assert sorted(losses) == ['distill.loss_gffl', 'distill.loss_kd', 'distill.loss_wav']
    stage = list(model.student.backbone.layer3.parameters())
    refiner = list(model.distiller.connectors['ds2s'].parameters())
    for term, loss in losses.items():
        assert torch.isfinite(loss) and loss > 0, (term, loss)
        grads = torch.autograd.grad(loss, stage, retain_graph=True, allow_unused=True)
        assert any(g is not None and g.abs().sum() > 0 for g in grads), term
    feature_loss = losses['distill.loss_wav'] + losses['distill.loss_gffl']
    grads = torch.autograd.grad(feature_loss, refiner, retain_graph=True, allow_unused=True)
    assert any(g is not None and g.abs().sum() > 0 for g in grads)
    assert not any(p.requires_grad for p in model.teacher.parameters())


@pytest.mark.usefixtures('embedded_data')
def test_the_refiner_runs_once_per_step_and_starts_as_the_identity():
    """Both feature losses take the chain align -> ds2s: computed once (one BN update), and at
    initialisation the refined map is the aligned map itself."""
    torch.manual_seed(0)
    cfg = load_cfg()
    model, _ = build(cfg)
    refiner = model.distiller.connectors['ds2s']
    calls = []
    refiner.register_forward_hook(lambda m, i, o: calls.append((i[0].detach(), o.detach())))
    distill_losses(model, cfg)
    assert len(calls) == 1
    aligned, refined = calls[0]
    assert refined.shape == aligned.shape == (4, 96, 8, 8)
    torch.testing.assert_close(refined, aligned, atol=1e-5, rtol=1e-5)


def test_the_light_variant_differs_only_in_the_refiner():
    full, light = load_cfg(), load_cfg(f'sfkd-light_{PAIR}')
    assert light.model.distiller.connectors.ds2s.light is True
    light.model.distiller.connectors.ds2s.light = False
    assert light.model.to_dict() == full.model.to_dict()
    sizes = [sum(p.numel() for p in DS2SRefiner(96, light=flag).parameters())
             for flag in (False, True)]
    assert sizes[1] < sizes[0] / 20, sizes


@pytest.mark.parametrize('name,loss', [(f'feat-mse_{PAIR}', 'loss_mse'),
                                       (f'infonce_{PAIR}', 'loss_nce')])
def test_feature_baselines_replace_sfkd_losses_and_drop_the_refiner(name, loss):
    distiller = build(load_cfg(name, 'ablations'))[0].distiller
    assert sorted(distiller.distill_losses) == sorted(['loss_kd', loss])
    assert sorted(distiller.connectors) == ['align', 'tokens']
