"""SLKD as configured (``mmfreqkd.MultiTeacherKD``: L_NC through BRISQUE statistics to teacher
A's encoder, L_ET through PIQE cues to teacher B's decoder, pixel L1 and KL to teacher A's
image) on the embedded deraining pair: every term is non-zero and trains the student (its
encoder or decoder, and the learnable SCMs), never the teachers; the ablations drop one term."""
import pytest
import torch
from conftest import build_for_training as build
from conftest import config_path, distill_losses, training_batch
from mmengine.config import Config

PAIR = 'nafnet-w16_nafnet-w8_1xb8-1k_restore-rain-64x64.py'


def load_cfg(*parts):
    cfg = Config.fromfile(config_path('slkd', *parts))
    for teacher in cfg.model.teachers.values():
        teacher.pop('ckpt', None)
    cfg.model.allow_random_teacher = True
    return cfg


@pytest.mark.usefixtures('embedded_data')
def test_every_term_is_nonzero_and_trains_the_student_not_the_teachers():
    torch.manual_seed(0)
    cfg = load_cfg(f'slkd_{PAIR}')
    model, _ = build(cfg)
    losses = distill_losses(model, cfg)
    assert sorted(losses) == ['distill.loss_et', 'distill.loss_kl', 'distill.loss_nc',
                              'distill.loss_pix']
    student = [p for p in model.student.parameters() if p.requires_grad]
    reached = {'distill.loss_nc': model.distiller.connectors['scm_enc_s'].proj.weight,
               'distill.loss_et': model.distiller.connectors['scm_dec_s'].proj.weight}
    for term, loss in losses.items():
        assert torch.isfinite(loss) and loss > 0, (term, loss)
        grads = torch.autograd.grad(loss, student, retain_graph=True, allow_unused=True)
        assert any(g is not None and g.abs().sum() > 0 for g in grads), term
        if term in reached:
            grad, = torch.autograd.grad(loss, reached[term], retain_graph=True)
            assert grad.abs().sum() > 0, term
    assert not any(p.requires_grad for p in model.teachers.parameters())


@pytest.mark.usefixtures('embedded_data')
@pytest.mark.parametrize('name, dropped', [('slkd-no-nc', 'distill.loss_nc'),
                                           ('slkd-no-et', 'distill.loss_et')])
def test_ablations_drop_one_term_and_its_connectors(name, dropped):
    torch.manual_seed(0)
    cfg = load_cfg('ablations', f'{name}_{PAIR}')
    model, _ = build(cfg)
    losses = distill_losses(model, cfg)
    assert dropped not in losses and len(losses) == 3
    side = 'enc' if dropped.endswith('nc') else 'dec'
    assert f'scm_{side}_s' not in model.distiller.connectors


@pytest.mark.usefixtures('embedded_data')
def test_trains_on_crops_of_any_size():
    """Issue row 'SLKD training on 37 x 53 crops': the restorers' output is a crop of their
    padded maps (not contiguous), which mmrazor's CWD flattened with ``view``; one training
    step on such crops now runs and every term is finite."""
    torch.manual_seed(0)
    cfg = load_cfg(f'slkd_{PAIR}')
    cfg.train_dataloader.dataset.pipeline = [
        dict(type='mmfreqkd.LoadImagePair'),
        dict(type='mmfreqkd.PairedRandomCrop', crop_size=(37, 53)),
        dict(type='mmfreqkd.PackImagePair')]
    model, optim_wrapper = build(cfg)
    losses = model.train_step(training_batch(cfg, n=2), optim_wrapper)
    assert 'distill.loss_kl' in losses
    assert all(torch.isfinite(v) for v in losses.values())


def test_a_teacher_without_weights_is_an_error_naming_its_key():
    """Issue row '`model.teachers.A.ckpt=None` in SLKD': a random teacher is refused unless
    asked for."""
    cfg = Config.fromfile(config_path('slkd', f'slkd_{PAIR}'))
    cfg.model.teachers.A.ckpt = None
    with pytest.raises(ValueError, match=r'model\.teachers\.A\.ckpt=None: the teacher has no '
                       r'weights.*model\.allow_random_teacher=True'):
        build(cfg)
