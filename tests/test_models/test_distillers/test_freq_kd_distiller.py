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


def test_chains_apply_in_order_and_no_grad_mappings_train_the_shared_connector_from_student():
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


def _batch_distiller(**mapping_overrides):
    dwt = dict(type='mmfreqkd.WaveletBandsConnector')
    inputs = dict(
        preds_S=dict(from_student=True, recorder='stage', connector=['align', 'dwt']),
        preds_T=dict(from_student=False, recorder='stage', connector='dwt'),
        gt_instances=dict(from_batch='gt_instances'),
        batch_input_shape=dict(from_batch='batch_input_shape'))
    inputs.update(mapping_overrides)
    return distiller(connectors=dict(align=ALIGN, dwt=dwt),
                     distill_losses=dict(loss_low=dict(type='mmfreqkd.DISWFeatureLoss')),
                     loss_forward_mappings=dict(loss_low=inputs))


def _samples(boxes):
    from mmdet.structures import DetDataSample
    from mmengine.structures import InstanceData
    samples = []
    for b in boxes:
        sample = DetDataSample(metainfo=dict(batch_input_shape=(6, 6)))
        sample.gt_instances = InstanceData(bboxes=b, labels=torch.zeros(len(b)).long())
        samples.append(sample)
    return samples


def test_batch_entries_reach_the_loss():
    torch.manual_seed(0)
    d = _batch_distiller()
    x = torch.randn(2, 3, 6, 6)
    record(d, Net(2), Net(4), x)
    samples = _samples([torch.tensor([[0., 0., 2., 2.]]), torch.zeros(0, 4)])
    got = d.compute_distill_losses(x, samples)['loss_low']
    expected = d.distill_losses['loss_low'](
        d.get_record('stage', True, connector=['align', 'dwt']),
        d.get_record('stage', False, connector='dwt'),
        [s.gt_instances for s in samples], [(6, 6), (6, 6)])
    torch.testing.assert_close(got, expected)
    with pytest.raises(ValueError, match='did not pass the batch'):
        d.get_record(from_batch='inputs')  # the batch is held during a computation only


def test_batch_entry_errors_name_the_mapping_and_the_key():
    with pytest.raises(ValueError, match=r"loss_low.gt_instances: a batch entry is"):
        _batch_distiller(gt_instances=dict(from_batch='gt_instances', recorder='stage'))
    with pytest.raises(KeyError, match=r"loss_low.boxes: DISWFeatureLoss.forward has no"):
        _batch_distiller(boxes=dict(from_batch='gt_instances'))
    d = _batch_distiller(gt_instances=dict(from_batch='gt_boxes'))
    x = torch.randn(1, 3, 6, 6)
    record(d, Net(2), Net(4), x)
    with pytest.raises(KeyError, match=r"from_batch='gt_boxes'.*fields \['gt_instances'\]"):
        d.compute_distill_losses(x, _samples([torch.zeros(0, 4)]))
    with pytest.raises(ValueError, match='did not pass the batch'):
        d.compute_distill_losses()
