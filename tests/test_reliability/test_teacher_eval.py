"""Row 'SSTKD teacher: only BatchNorm in eval mode': a frozen teacher (and DS2D2's frozen
amplifier head) runs in eval mode while the algorithm trains, so two teacher forwards of one
batch are identical; a config can ask otherwise."""
import copy

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope
from runs import DS2D2, SSTKD


def _build(config, **model_options):
    cfg = Config.fromfile(config)
    cfg.model.teacher_ckpt = None
    cfg.model.allow_random_teacher = True
    if cfg.model.get('high_amplifier'):
        cfg.model.high_amplifier.checkpoint = None
    cfg.model.update(model_options)
    init_default_scope(cfg.default_scope)
    model = MODELS.build(copy.deepcopy(cfg.model))
    model.init_weights()
    return model.train()


def test_two_teacher_forwards_of_one_batch_are_identical():
    model = _build(SSTKD)
    assert model.student.training and not model.teacher.training
    assert not any(m.training for m in model.teacher.modules())
    dropouts = [m for m in model.teacher.modules() if isinstance(m, torch.nn.Dropout2d)]
    assert dropouts, 'the PSPNet teacher has dropout: the check below needs it'
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        first, second = model.teacher(x, mode='tensor'), model.teacher(x, mode='tensor')
    assert torch.equal(first, second)


def test_teacher_eval_can_be_switched_off():
    model = _build(SSTKD, teacher_eval=False)
    assert model.teacher.training  # mmrazor's behaviour: only the norm layers in eval
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert not torch.equal(model.teacher(x, mode='tensor'), model.teacher(x, mode='tensor'))


@pytest.mark.usefixtures('embedded_data')
def test_ds2d2_teacher_and_amplifier_heads_stay_in_eval_mode():
    model = _build(DS2D2)
    assert model.student.training
    assert not any(m.training for m in model.teacher.modules())
    assert not any(m.training for m in model.high_head.modules())
