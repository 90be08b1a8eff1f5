"""DS2D2's losses: the explicit DISW-weighted band loss (bands from PyWavelets, weights from
the per-box definition), rotated boxes' hulls (mmrotate's converter), and the amplifier loss."""
import math

import pytest
import pywt
import torch
import torch.nn.functional as F
from mmengine.structures import InstanceData

from mmfreqkd.models.losses import DenseAmplifierLoss, DISWFeatureLoss, RoIAmplifierLoss, gt_boxes
from mmfreqkd.models.losses.amplifier_losses import soft_quality_focal_loss
from mmfreqkd.ops import disw_weights


def _pywt_bands(x):
    ca, details = pywt.dwt2(x.detach().numpy(), 'haar', mode='zero', axes=(-2, -1))
    return torch.from_numpy(ca), tuple(torch.from_numpy(d) for d in details)


@pytest.mark.parametrize('normalize', ['none', 'level'])
def test_explicit_loss_matches_pywt_bands_and_the_weights(normalize):
    """The official form (``'none'``) and ours, each level's map divided by its mean per
    image (``'level'``), against PyWavelets' bands and the weights of the per-box loop."""
    torch.manual_seed(0)
    student = [torch.randn(2, 3, 8, 8, dtype=torch.float64),
               torch.randn(2, 3, 4, 4, dtype=torch.float64)]
    teacher = [torch.randn_like(s) for s in student]
    boxes = [torch.tensor([[0., 0., 10., 12.], [20., 4., 30., 30.]]), torch.zeros(0, 4)]
    instances = [InstanceData(bboxes=b) for b in boxes]
    preds_s = [_pywt_bands(s) for s in student]
    preds_t = [_pywt_bands(t) for t in teacher]
    low = high = 0.
    for (ls, hs), (lt, ht) in zip(preds_s, preds_t):
        w = _per_box_weights(boxes, (32, 32), ls.shape[-2:])[:, None]
        if normalize == 'level':
            w = w / w.mean((2, 3), keepdim=True)
        low += ((ls - lt)**2 * w).mean()
        high += torch.stack([((s - t)**2 * w) for s, t in zip(hs, ht)]).mean()
    shape = [(32, 32), (32, 32)]
    torch.testing.assert_close(
        DISWFeatureLoss('low', loss_weight=2., normalize=normalize)(
            preds_s, preds_t, instances, shape), 2 * low)
    torch.testing.assert_close(
        DISWFeatureLoss('high', normalize=normalize)(preds_s, preds_t, instances, shape), high)


def _per_box_weights(boxes, input_shape, map_shape):
    """The official ``transform_bboxes`` loop: ``W = 1``, each box adds 1 / area' over its
    outward-rounded footprint (float64)."""
    (in_h, in_w), (h, w) = input_shape, map_shape
    maps = torch.ones(len(boxes), h, w, dtype=torch.float64)
    for i, image_boxes in enumerate(boxes):
        for x1, y1, x2, y2 in image_boxes.tolist():
            a = max(0, math.floor(x1 * w / in_w))
            b = min(w - 1, math.ceil(x2 * w / in_w))
            c = max(0, math.floor(y1 * h / in_h))
            d = min(h - 1, math.ceil(y2 * h / in_h))
            maps[i, c:d + 1, a:b + 1] += 1 / ((b - a + 1) * (d - c + 1))
    return maps


def test_level_normalised_weights_do_not_grow_with_the_object_count():
    """Many objects on a coarse level: the official map's mean grows with their count, the
    normalised one's stays 1 and its foreground/background ratio is the official map's."""
    boxes = [torch.tensor([[x, y, x + 6., y + 6.] for x in range(0, 120, 12)
                           for y in range(0, 60, 12)])]
    official = _per_box_weights(boxes, (128, 128), (2, 2))
    assert float(official.mean()) > 10
    feats = [torch.zeros(1, 1, 4, 4, dtype=torch.float64)]
    preds_t = [_pywt_bands(f) for f in feats]
    preds_s = [(torch.ones(1, 1, 2, 2, dtype=torch.float64), preds_t[0][1])]
    instances, shape = [InstanceData(bboxes=boxes[0])], [(128, 128)]
    torch.testing.assert_close(
        DISWFeatureLoss('low')(preds_s, preds_t, instances, shape),
        torch.tensor(1.0, dtype=torch.float64))
    torch.testing.assert_close(
        DISWFeatureLoss('low', normalize='none')(preds_s, preds_t, instances, shape),
        official.mean())


def test_rotated_boxes_weigh_their_cells_or_their_hull_as_mmrotate_converts_it():
    from mmrotate.structures.bbox import RotatedBoxes
    boxes = RotatedBoxes(torch.tensor([[10., 20., 8., 4., 0.5], [40., 9., 30., 6., -1.2]]))
    instances = InstanceData(bboxes=boxes)
    hull = gt_boxes(instances, 'hull')
    torch.testing.assert_close(hull, boxes.convert_to('hbox').tensor)
    assert torch.equal(gt_boxes(instances), boxes.tensor)  # the cells: the boxes themselves
    torch.manual_seed(0)
    preds = [[_pywt_bands(torch.randn(1, 2, 16, 16, dtype=torch.float64))] for _ in range(2)]
    for footprint, given in (('cells', boxes.tensor), ('hull', hull)):
        w = disw_weights([given], (64, 64), (8, 8)).double()[:, None]
        expected = ((preds[0][0][0] - preds[1][0][0])**2 * w).mean()
        loss = DISWFeatureLoss(rotated_footprint=footprint, normalize='none')(
            *preds, [instances], [(64, 64)])
        torch.testing.assert_close(loss, expected)
    with pytest.raises(ValueError, match="rotated_footprint must be one of.*'box'"):
        DISWFeatureLoss(rotated_footprint='box')


def test_explicit_loss_errors_name_the_level_and_shapes():
    a = [(torch.zeros(1, 2, 4, 4), (torch.zeros(1, 2, 4, 4), ) * 3)]
    b = [(torch.zeros(1, 3, 4, 4), (torch.zeros(1, 3, 4, 4), ) * 3)]
    with pytest.raises(ValueError, match=r'level-0 band of shape \(1, 2, 4, 4\).*\(1, 3, 4, 4\)'):
        DISWFeatureLoss()(a, b, [InstanceData(bboxes=torch.zeros(0, 4))], [(8, 8)])
    with pytest.raises(ValueError, match="band must be 'low' or 'high'"):
        DISWFeatureLoss('mid')


def _rows(gen, n=40, classes=3):
    """Random dense-head rows: class logits and boxes (x1, y1, x2, y2) of ``n`` priors."""
    corner = torch.rand(n, 2, generator=gen) * 50
    boxes = torch.cat([corner, corner + 4 + torch.rand(n, 2, generator=gen) * 20], 1)
    return torch.randn(n, classes, generator=gen), boxes


def _amplifier_inputs(student, teacher, weights, avg_factor, quality=None):
    return dict(student_logits=student[0], student_boxes=student[1],
                teacher_probs=teacher[0].sigmoid(), teacher_boxes=teacher[1], weights=weights,
                avg_factor=avg_factor, student_quality_logits=quality)


def test_amplifier_loss_vanishes_when_the_student_predicts_as_the_teacher():
    gen = torch.Generator().manual_seed(0)
    teacher = _rows(gen)
    student = tuple(t.clone().requires_grad_() for t in teacher)
    weights = torch.ones(40)
    loss = DenseAmplifierLoss()
    same = loss(**_amplifier_inputs(student, teacher, weights, 5))
    assert same['loss_cls'].abs() < 1e-12 and same['loss_reg'].abs() < 1e-6
    other = tuple(t.requires_grad_() for t in _rows(gen))
    differ = loss(**_amplifier_inputs(other, teacher, weights, 5))
    assert differ['loss_cls'] > 0 and differ['loss_reg'] > 0
    (differ['loss_cls'] + differ['loss_reg']).backward()
    assert all(t.grad is not None and t.grad.abs().sum() > 0 for t in other)
    assert all(t.grad is None for t in teacher)
    halved = loss(**_amplifier_inputs(other, teacher, weights, 10))
    torch.testing.assert_close(halved['loss_cls'], differ['loss_cls'] / 2)
    torch.testing.assert_close(halved['loss_reg'], differ['loss_reg'] / 2)


def _roi_outputs(gen, n, classes=3, agnostic=False):
    return dict(cls_score=torch.randn(n, classes + 1, generator=gen),
                bbox_pred=torch.randn(n, 4 if agnostic else 4 * classes, generator=gen))


def test_roi_amplifier_kl_matches_torch_and_the_official_factor():
    import torch.nn.functional as F
    gen = torch.Generator().manual_seed(0)
    student, teacher = _roi_outputs(gen, 6), _roi_outputs(gen, 6)
    plain = RoIAmplifierLoss(official_avg_factor=False, cls_weight=1.)(student, teacher)
    kl = F.kl_div(F.log_softmax(student['cls_score'] / 3, 1),
                  F.softmax(teacher['cls_score'] / 3, 1), reduction='batchmean') * 9
    torch.testing.assert_close(plain['loss_cls'], kl)
    official = RoIAmplifierLoss(cls_weight=1.)(student, teacher)
    torch.testing.assert_close(official['loss_cls'], 6 * kl)  # x the number of RoIs


def test_roi_amplifier_l1_uses_the_teachers_best_foreground_class():
    gen = torch.Generator().manual_seed(1)
    student, teacher = _roi_outputs(gen, 5), _roi_outputs(gen, 5)
    probs = teacher['cls_score'].softmax(1)[:, :-1]
    weight, best = probs.max(1)
    rows = torch.arange(5)
    d_s = student['bbox_pred'].view(5, 3, 4)[rows, best]
    d_t = teacher['bbox_pred'].view(5, 3, 4)[rows, best]
    expected = ((d_s - d_t).abs() * weight[:, None]).sum() / (4 * weight.sum())
    torch.testing.assert_close(RoIAmplifierLoss()(student, teacher)['loss_reg'], expected)
    agnostic_s = _roi_outputs(gen, 5, agnostic=True)
    agnostic_t = _roi_outputs(gen, 5, agnostic=True)
    assert RoIAmplifierLoss()(agnostic_s, agnostic_t)['loss_reg'] > 0


def test_roi_amplifier_without_rois_is_zero_with_a_gradient_path():
    student = {k: v.requires_grad_() for k, v in _roi_outputs(torch.Generator(), 0).items()}
    losses = RoIAmplifierLoss()(student, _roi_outputs(torch.Generator(), 0))
    assert losses['loss_cls'] == 0 and losses['loss_reg'] == 0
    (losses['loss_cls'] + losses['loss_reg']).backward()


def test_amplifier_loss_equals_mmdets_quality_focal_and_giou_losses():
    """Without a quality branch: mmdet's QFL (tensor targets) on the label-weighted rows and its
    GIoU loss weighted by the teacher's confidence, both over avg_factor."""
    from mmdet.models.losses import GIoULoss
    from mmdet.models.losses.gfocal_loss import quality_focal_loss_tensor_target
    gen = torch.Generator().manual_seed(3)
    student, teacher = _rows(gen), _rows(gen)
    weights = (torch.rand(40, generator=gen) > 0.3).float()
    got = DenseAmplifierLoss()(**_amplifier_inputs(student, teacher, weights, 7))
    torch.testing.assert_close(got['loss_cls'], quality_focal_loss_tensor_target(
        student[0], teacher[0].sigmoid(), weight=weights, avg_factor=7., beta=1.))
    torch.testing.assert_close(got['loss_reg'], GIoULoss()(
        student[1], teacher[1], weight=teacher[0].sigmoid().max(1).values, avg_factor=7.))


def test_amplifier_loss_with_a_quality_branch_is_torchs_bce_on_the_joint_score():
    """ATSS/FCOS: the student's score is sigmoid(class) x sigmoid(centerness); QFL on it equals
    torch's binary cross-entropy of that product times |t - p|^beta (float64)."""
    gen = torch.Generator().manual_seed(5)
    logits, quality = torch.randn(30, 3, generator=gen).double(), torch.randn(
        30, 1, generator=gen).double()
    targets = torch.rand(30, 3, generator=gen).double()
    p = logits.sigmoid() * quality.sigmoid()
    expected = F.binary_cross_entropy(p, targets, reduction='none') * (targets - p).abs() ** 2
    torch.testing.assert_close(soft_quality_focal_loss(logits, targets, 2., quality), expected)


def test_roi_amplifier_l1_on_rotated_deltas_and_bad_shapes():
    """Oriented R-CNN's class-agnostic 5-number deltas (x, y, w, h, angle) average over 5."""
    gen = torch.Generator().manual_seed(4)
    student = dict(cls_score=torch.randn(6, 3, generator=gen),
                   bbox_pred=torch.randn(6, 5, generator=gen))
    teacher = dict(cls_score=torch.randn(6, 3, generator=gen),
                   bbox_pred=torch.randn(6, 5, generator=gen))
    weight = teacher['cls_score'].softmax(1)[:, :-1].max(1).values
    expected = ((student['bbox_pred'] - teacher['bbox_pred']).abs() *
                weight[:, None]).sum() / (5 * weight.sum())
    torch.testing.assert_close(RoIAmplifierLoss()(student, teacher, box_dim=5)['loss_reg'],
                               expected)
    with pytest.raises(ValueError, match=r'bbox_pred of shape \(6, 5\).*\(N, 4\)'):
        RoIAmplifierLoss()(student, teacher)


@pytest.mark.parametrize('beta', [1.0, 2.0])
def test_soft_quality_focal_loss_equals_mmdets_with_zero_and_soft_targets(beta):
    from mmdet.models.losses.gfocal_loss import quality_focal_loss_tensor_target
    gen = torch.Generator().manual_seed(5)
    logits = torch.randn(50, 4, generator=gen, dtype=torch.float64)
    targets = torch.rand(50, 4, generator=gen, dtype=torch.float64)
    targets[targets < 0.3] = 0  # mmdet's other branch
    expected = quality_focal_loss_tensor_target(logits, targets, beta=beta, reduction='none')
    torch.testing.assert_close(soft_quality_focal_loss(logits, targets, beta).sum(1), expected)
