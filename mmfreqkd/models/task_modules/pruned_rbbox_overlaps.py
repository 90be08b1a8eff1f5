"""Overlaps of rotated boxes computed only for the pairs that can overlap."""
from typing import Tuple

import torch
from mmdet.structures.bbox import get_box_tensor

from mmfreqkd.registry import TASK_UTILS

__all__ = ['PrunedRBboxOverlaps2D']


@TASK_UTILS.register_module()
class PrunedRBboxOverlaps2D:
    """mmrotate's ``RBboxOverlaps2D`` (IoU or IoF of every pair of rotated boxes), computed
    only for the pairs whose circumscribed circles meet: two boxes whose circles are apart do
    not intersect, so their overlap is exactly 0. The values equal ``RBboxOverlaps2D``'s (each
    kept pair goes through the same function, mmrotate's ``rbbox_overlaps``, aligned).

    An assigner compares every anchor with every box of an image, and most pairs lie far
    apart. On a CPU mmcv's ``box_iou_rotated`` costs over a microsecond a pair, close to half
    of a small rotated RetinaNet's training step (341 anchors x 20 random boxes of the
    embedded set's sizes: about 10 ms, pruned 1 ms; not measured on a GPU, where the kernel
    runs the pairs in parallel). Use it in an assigner as
    ``iou_calculator=dict(type='mmfreqkd.PrunedRBboxOverlaps2D')``.
    """

    def __call__(self, bboxes1, bboxes2, mode: str = 'iou',
                 is_aligned: bool = False) -> torch.Tensor:
        """Same arguments and result as ``RBboxOverlaps2D.__call__``: boxes (m, 5) and (n, 5)
        as (cx, cy, w, h, angle), or (m, 6) with a score (ignored); (m, n), or (m, ) when
        ``is_aligned``."""
        from mmrotate.structures.bbox import rbbox_overlaps  # only rotated configs use it
        boxes1, boxes2 = _rotated(bboxes1, 'bboxes1'), _rotated(bboxes2, 'bboxes2')
        if is_aligned or boxes1.numel() == 0 or boxes2.numel() == 0:
            return rbbox_overlaps(boxes1, boxes2, mode, is_aligned)
        first, second = circles_meet(boxes1, boxes2)
        overlaps = boxes1.new_zeros(boxes1.size(0), boxes2.size(0))
        if first.numel():
            overlaps[first, second] = rbbox_overlaps(boxes1[first], boxes2[second], mode,
                                                     is_aligned=True)
        return overlaps


def _rotated(boxes, name: str) -> torch.Tensor:
    """(n, 5) rotated boxes of (n, 5) or (n, 6) boxes or an empty tensor, else a clear error."""
    tensor = get_box_tensor(boxes)
    if tensor.numel() and (tensor.dim() != 2 or tensor.shape[-1] not in (5, 6)):
        raise ValueError(f'PrunedRBboxOverlaps2D: {name} must be (n, 5) rotated boxes (cx, '
                         f'cy, w, h, angle) or (n, 6) with a score, got shape '
                         f'{tuple(tensor.shape)}')
    return tensor[..., :5]


def circles_meet(boxes1: torch.Tensor, boxes2: torch.Tensor,
                 slack: float = 1e-2) -> Tuple[torch.Tensor, torch.Tensor]:
    """Indices (i, j) of the pairs of rotated boxes whose circumscribed circles meet (centre
    distance at most the sum of the half diagonals), widened by ``slack`` (relative, and in
    pixels) so that rounding cannot drop a pair that touches. Sizes and centres are clamped as
    ``rbbox_overlaps`` clamps them before computing."""
    def circles(boxes):
        centres = boxes[:, :2].clamp(min=-1e7, max=1e7)
        return centres, boxes[:, 2:4].clamp(min=1e-3).norm(dim=1) / 2

    centres1, radii1 = circles(boxes1.detach())
    centres2, radii2 = circles(boxes2.detach())
    reach = (radii1[:, None] + radii2[None]) * (1 + slack) + slack
    distances = torch.cdist(centres1, centres2, compute_mode='donot_use_mm_for_euclid_dist')
    return (distances <= reach).nonzero(as_tuple=True)
