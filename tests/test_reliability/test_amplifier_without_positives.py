"""Row 'a DS2D2 batch whose boxes are all invalid (no positives)': the amplifier losses and
their gradients keep the scale of a batch with objects instead of jumping by orders of
magnitude (no normaliser without positives)."""
import copy

import pytest
import torch
from conftest import training_batch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope
from runs import DS2D2


def _amplifier_loss_and_grad(model, batch):
    data = model.data_preprocessor(batch, True)
    losses = model.loss(data['inputs'], data['data_samples'])
    total = sum(v for k, v in losses.items() if k.startswith(('distill.full', 'distill.high')))
    model.zero_grad()
    total.backward()
    grad = torch.cat([p.grad.flatten() for p in model.student.parameters()
                      if p.grad is not None]).norm()
    return float(total), float(grad)


@pytest.mark.usefixtures('embedded_data')
def test_amplifier_losses_stay_bounded_without_positives():
    cfg = Config.fromfile(DS2D2)
    cfg.model.teacher_ckpt = None
    cfg.model.allow_random_teacher = True
    cfg.model.high_amplifier.checkpoint = None
    init_default_scope(cfg.default_scope)
    torch.manual_seed(0)
    model = MODELS.build(copy.deepcopy(cfg.model))
    model.init_weights()
    model.train()
    batch = training_batch(cfg)
    with_objects = _amplifier_loss_and_grad(model, batch)
    for sample in batch['data_samples']:  # no boxes: no positive anchors
        sample.gt_instances = sample.gt_instances[:0]
    without = _amplifier_loss_and_grad(model, batch)
    assert all(torch.isfinite(torch.tensor(without)))
    assert without[0] < 5 * with_objects[0], (without, with_objects)
    assert without[1] < 5 * with_objects[1], (without, with_objects)
