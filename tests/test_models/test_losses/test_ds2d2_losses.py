"""DS2D2's losses: the explicit DISW-weighted band loss (bands from PyWavelets, weights from
the per-box definition), rotated boxes' hulls (mmrotate's converter), and the amplifier loss."""
import pytest
import pywt
import torch
from mmdet.models.task_modules.coders import DeltaXYWHBBoxCoder
from mmengine.structures import InstanceData

from mmfreqkd.models.losses import DenseAmplifierLoss, DISWFeatureLoss, gt_boxes
from mmfreqkd.ops import disw_weights


def _pywt_bands(x):
    ca, details = pywt.dwt2(x.detach().numpy(), 'haar', mode='zero', axes=(-2, -1))
    return torch.from_numpy(ca), tuple(torch.from_numpy(d) for d in details)


def test_explicit_loss_matches_pywt_bands_and_the_weights():
    torch.manual_seed(0)
    student = [torch.randn(2, 3, 8, 8, dtype=torch.float64), torch.randn(2, 3, 4, 4,
                                                                          dtype=torch.float64)]
    teacher = [torch.randn_like(s) for s in student]
    boxes = [torch.tensor([[0., 0., 10., 12.], [20., 4., 30., 30.]]), torch.zeros(0, 4)]
    instances = [InstanceData(bboxes=b) for b in boxes]
    preds_s = [_pywt_bands(s) for s in student]
    preds_t = [_pywt_bands(t) for t in teacher]
    low = high = 0.
    for (ls, hs), (lt, ht) in zip(preds_s, preds_t):
        w = disw_weights(boxes, (32, 32), ls.shape[-2:]).double()[:, None]
        low += ((ls - lt)**2 * w).mean()
        high += torch.stack([((s - t)**2 * w) for s, t in zip(hs, ht)]).mean()
    shape = [(32, 32), (32, 32)]
    torch.testing.assert_close(
        DISWFeatureLoss('low', loss_weight=2.)(preds_s, preds_t, instances, shape), 2 * low)
    torch.testing.assert_close(
        DISWFeatureLoss('high')(preds_s, preds_t, instances, shape), high)


def test_rotated_boxes_weigh_their_hull_as_mmrotate_converts_it():
    from mmrotate.structures.bbox import RotatedBoxes
    boxes = RotatedBoxes(torch.tensor([[10., 20., 8., 4., 0.5], [40., 9., 30., 6., -1.2]]))
    hull = gt_boxes(InstanceData(bboxes=boxes))
    torch.testing.assert_close(hull, boxes.convert_to('hbox').tensor)


def test_explicit_loss_errors_name_the_level_and_shapes():
    a = [(torch.zeros(1, 2, 4, 4), (torch.zeros(1, 2, 4, 4), ) * 3)]
    b = [(torch.zeros(1, 3, 4, 4), (torch.zeros(1, 3, 4, 4), ) * 3)]
    with pytest.raises(ValueError, match=r'level-0 band of shape \(1, 2, 4, 4\).*\(1, 3, 4, 4\)'):
        DISWFeatureLoss()(a, b, [InstanceData(bboxes=torch.zeros(0, 4))], [(8, 8)])
    with pytest.raises(ValueError, match="band must be 'low' or 'high'"):
        DISWFeatureLoss('mid')


def _head_outputs(gen, levels, num_classes=3, anchors=2):
    cls = [torch.randn(2, anchors * num_classes, s, s, generator=gen) for s in levels]
    reg = [torch.randn(2, anchors * 4, s, s, generator=gen) * 0.1 for s in levels]
    return cls, reg


def _anchors(levels, anchors=2):
    out = []
    for s in levels:
        centres = (torch.arange(s * s * anchors) % (s * s)).float()
        boxes = torch.stack([centres, centres, centres + 8, centres + 8], 1)
        out.append(boxes.expand(2, -1, -1))
    return out


def test_amplifier_loss_vanishes_when_the_student_predicts_as_the_teacher():
    gen = torch.Generator().manual_seed(0)
    levels = [4, 2]
    teacher = _head_outputs(gen, levels)
    student = tuple([t.clone().requires_grad_() for t in side] for side in teacher)
    weights = [torch.ones(2, s * s * 2) for s in levels]
    loss = DenseAmplifierLoss()
    coder = DeltaXYWHBBoxCoder()
    same = loss(student, teacher, _anchors(levels), weights, 5, coder)
    assert same['loss_cls'].abs() < 1e-12 and same['loss_reg'].abs() < 1e-6
    other = _head_outputs(gen, levels)
    differ = loss(tuple([t.requires_grad_() for t in side] for side in other), teacher,
                  _anchors(levels), weights, 5, coder)
    assert differ['loss_cls'] > 0 and differ['loss_reg'] > 0
    (differ['loss_cls'] + differ['loss_reg']).backward()
    assert all(t.grad is not None and t.grad.abs().sum() > 0 for side in other for t in side)
    assert all(t.grad is None for side in teacher for t in side)
    halved = loss(other, teacher, _anchors(levels), weights, 10, coder)
    torch.testing.assert_close(halved['loss_cls'], differ['loss_cls'] / 2)
    torch.testing.assert_close(halved['loss_reg'], differ['loss_reg'] / 2)
