"""FreqKDDistiller: connector chains, gradient-free mappings, switched-off losses."""
import pytest
import torch
from mmengine.registry import DefaultScope
from mmrazor.registry import MODELS

STAGE = dict(type='ModuleOutputs', source='conv')
ALIGN = dict(type='ConvModuleConnector', in_channel=2, out_channel=4, kernel_size=1,
             norm_cfg=None, act_cfg=None)


class Net(torch.nn.Module):

    def __init__(self, channels):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, channels, 1)

    def forward(self, x):
        return self.conv(x)


def distiller(**overrides):
    cfg = dict(
        type='mmfreqkd.FreqKDDistiller',
        student_recorders=dict(stage=STAGE),
        teacher_recorders=dict(stage=STAGE),
        connectors=dict(align=ALIGN, shared=dict(ALIGN, in_channel=4)),
        distill_losses=dict(loss_mse=dict(type='mmfreqkd.StatisticalTextureLoss'),
                            loss_kl=dict(type='mmfreqkd.PixelWiseKLLoss')),
        loss_forward_mappings=dict(
            loss_mse=dict(
                preds_S=dict(from_student=True, recorder='stage', connector=['align', 'shared']),
                preds_T=dict(from_student=False, recorder='stage', connector='shared',
                             no_grad=True)),
            loss_kl=dict(preds_S=dict(from_student=True, recorder='stage', connector='align'),
                         preds_T=dict(from_student=False, recorder='stage'))))
    cfg.update(overrides)
    with DefaultScope.overwrite_default_scope('mmrazor'):
        return MODELS.build(cfg)


def record(d, student, teacher, x):
    d.prepare_from_student(student)
    d.prepare_from_teacher(teacher)
    with d.student_recorders, d.teacher_recorders:
        student(x)
        with torch.no_grad():
            teacher(x)


def test_chains_apply_in_order_and_no_grad_mappings_train_the_shared_connector_only_from_the_student():
    torch.manual_seed(0)
    d = distiller()
    student, teacher = Net(2), Net(4)
    x = torch.randn(1, 3, 5, 5)
    record(d, student, teacher, x)
    s = d.get_record('stage', True, connector=['align', 'shared'])
    with torch.no_grad():
        expected = d.connectors['shared'](d.connectors['align'](student(x)))
    torch.testing.assert_close(s, expected)
    t = d.get_record('stage', False, connector='shared', no_grad=True)
    assert not t.requires_grad
    losses = d()  # forward computes the losses (for DDP wrappers)
    assert set(losses) == {'loss_mse', 'loss_kl'}
    losses['loss_mse'].backward()  # the student side still trains the shared connector
    assert next(d.connectors['shared'].parameters()).grad.abs().sum() > 0


def test_a_shared_chain_prefix_runs_once_per_loss_computation():
    d = distiller()
    calls = []
    d.connectors['align'].register_forward_hook(lambda *args: calls.append(1))
    record(d, Net(2), Net(4), torch.randn(1, 3, 5, 5))
    d.compute_distill_losses()  # both losses read align(student stage)
    assert len(calls) == 1
    d.compute_distill_losses()
    assert len(calls) == 2
    d.get_record('stage', True, connector='align')  # outside a computation: no cache
    d.get_record('stage', True, connector='align')
    assert len(calls) == 4


def test_a_loss_set_to_none_is_switched_off_with_its_connectors():
    d = distiller(distill_losses=dict(loss_mse=None,
                                      loss_kl=dict(type='mmfreqkd.PixelWiseKLLoss')))
    assert set(d.distill_losses) == {'loss_kl'}
    assert set(d.loss_forward_mappings) == {'loss_kl'}
    assert set(d.connectors) == {'align'}


def test_unknown_connector_in_a_chain_is_named():
    mappings = dict(loss_kl=dict(
        preds_S=dict(from_student=True, recorder='stage', connector=['align', 'nope']),
        preds_T=dict(from_student=False, recorder='stage')))
    with pytest.raises(KeyError, match=r"loss_kl.preds_S: connector 'nope'"):
        distiller(distill_losses=dict(loss_kl=dict(type='mmfreqkd.PixelWiseKLLoss')),
                  loss_forward_mappings=mappings)
