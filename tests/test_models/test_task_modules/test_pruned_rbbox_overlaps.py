"""The pruned rotated-box overlaps equal mmrotate's ``RBboxOverlaps2D`` exactly."""
import pytest
import torch
from mmdet.registry import TASK_UTILS
from mmrotate.models.task_modules.assigners import RBboxOverlaps2D
from mmrotate.structures.bbox import RotatedBoxes

from mmfreqkd.models.task_modules import PrunedRBboxOverlaps2D


def _boxes(n, generator, extent=128.):
    """Rotated boxes scattered over an image: most pairs far apart, some overlapping, some
    tiny (below mmrotate's 1e-3 clamp) or thin."""
    centres = torch.rand(n, 2, generator=generator) * extent
    sizes = torch.rand(n, 2, generator=generator) * 30
    sizes[::7] *= 1e-4
    angles = (torch.rand(n, 1, generator=generator) - 0.5) * torch.pi
    return torch.cat([centres, sizes, angles], 1)


@pytest.mark.parametrize('mode', ['iou', 'iof'])
def test_equals_mmrotates_overlaps_exactly(mode):
    generator = torch.Generator().manual_seed(0)
    anchors, gts = _boxes(400, generator), _boxes(25, generator)
    gts[:5] = anchors[:5]  # identical boxes
    gts[5, :2] = anchors[6, :2]  # a shared centre
    expected = RBboxOverlaps2D()(anchors, gts, mode)
    ours = PrunedRBboxOverlaps2D()(RotatedBoxes(anchors), RotatedBoxes(gts), mode)
    assert torch.equal(ours, expected)
    assert 0 < int((expected > 0).sum()) < expected.numel() // 4  # pruning has work to do


def test_scores_aligned_and_empty_inputs_as_mmrotate():
    generator = torch.Generator().manual_seed(1)
    boxes, others = _boxes(30, generator), _boxes(30, generator)
    scored = torch.cat([boxes, torch.rand(30, 1, generator=generator)], 1)
    reference, ours = RBboxOverlaps2D(), PrunedRBboxOverlaps2D()
    assert torch.equal(ours(scored, others), reference(scored, others))
    assert torch.equal(ours(boxes, others, is_aligned=True),
                       reference(boxes, others, is_aligned=True))
    empty = boxes.new_zeros(0, 5)
    assert ours(boxes, empty).shape == reference(boxes, empty).shape == (30, 0)
    assert ours(empty, boxes).shape == (0, 30)


def test_horizontal_boxes_are_named_in_the_error():
    boxes = torch.rand(4, 5)
    with pytest.raises(ValueError, match=r'bboxes2 must be \(n, 5\).*got shape \(3, 4\)'):
        PrunedRBboxOverlaps2D()(boxes, torch.rand(3, 4))


def test_an_assigner_builds_it_by_name():
    assigner = TASK_UTILS.build(dict(
        type='mmdet.MaxIoUAssigner', pos_iou_thr=0.5, neg_iou_thr=0.4, min_pos_iou=0,
        iou_calculator=dict(type='mmfreqkd.PrunedRBboxOverlaps2D')))
    assert isinstance(assigner.iou_calculator, PrunedRBboxOverlaps2D)
