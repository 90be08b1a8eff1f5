"""DS2D2's explicit distillation (Gao et al., TGRS 2025, Sec. III-B, Eq. of the explicit loss;
docs/methods/ds2d2.md, Explicit stream): per FPN level, the squared difference of the student's
(adapted) and the teacher's wavelet bands, weighted by the Density-Independent Scale Weights of
the ground-truth boxes and averaged, summed over levels::

    L_L = sum_l mean( (LL_s - LL_t)^2 * W_l )            (mean over B, C, h, w)
    L_H = sum_l mean( (H_s - H_t)^2 * W_l )              (mean over B, C, 3, h, w)

``W_l`` is each image's DISW map divided by its mean over the level ([our default],
``normalize='level'``), or the DISW map itself (``normalize='none'``, the official code). Each
object adds a mass of 1 to the map whatever the level, so on a coarse level the mean weight
grows with the number of objects (on the embedded 128 px detection set: 7.5 at P5, 27 at P6):
unnormalised, the coarse levels' terms scale with the object count instead of emphasising
the objects. Normalised, every level's mean weight is 1 and the map only says where the
objects are, as on the fine levels of a large image, where the two forms nearly agree.
"""
from typing import Sequence

import torch
import torch.nn as nn

from ...ops import DISW_DTYPES, disw_weights
from ...registry import MODELS
from ._checks import check_pair

__all__ = ['DISWFeatureLoss', 'gt_boxes']


#: How :class:`DISWFeatureLoss` maps rotated boxes onto cells.
ROTATED_FOOTPRINTS = ('cells', 'hull')
#: How :class:`DISWFeatureLoss` scales each level's DISW map.
NORMALIZATIONS = ('level', 'none')


def gt_boxes(instances, rotated_footprint: str = 'cells') -> torch.Tensor:
    """The boxes of a sample's ``gt_instances`` for :func:`~mmfreqkd.ops.disw_weights`:
    mmdet's (N, 4) ``x1, y1, x2, y2`` as they are; mmrotate's rotated (N, 5)
    ``cx, cy, w, h, angle`` as they are (``rotated_footprint='cells'``, [our default]: the
    cells the rotated box covers) or as their axis-aligned hull (``'hull'``)."""
    boxes = instances.bboxes
    boxes = getattr(boxes, 'tensor', boxes)
    if boxes.dim() != 2 or boxes.shape[-1] not in (4, 5):
        raise ValueError(f'gt_instances.bboxes must be (N, 4) horizontal or (N, 5) rotated '
                         f'boxes, got {tuple(boxes.shape)}')
    if boxes.shape[-1] == 4 or rotated_footprint == 'cells':
        return boxes
    centre, size, angle = boxes[:, :2], boxes[:, 2:4] / 2, boxes[:, 4:]
    cos, sin = angle.cos().abs(), angle.sin().abs()
    extent = torch.stack([size[:, 0] * cos[:, 0] + size[:, 1] * sin[:, 0],
                          size[:, 0] * sin[:, 0] + size[:, 1] * cos[:, 0]], 1)
    return torch.cat([centre - extent, centre + extent], 1)


@MODELS.register_module()
class DISWFeatureLoss(nn.Module):
    """DISW-weighted MSE between wavelet bands of every level (see the module docstring).

    Inputs come from :class:`~mmfreqkd.models.connectors.WaveletBandsConnector` (the student's
    through :class:`~mmfreqkd.models.connectors.SharedLevelAdapter` first), the boxes and the
    padded batch shape from the batch (``from_batch`` mapping entries).

    Args:
        band: ``'low'`` (cA, the term a_L) or ``'high'`` (cH, cV, cD, the term a_H).
        loss_weight: a_L or a_H (docs/methods/ds2d2.md, Coefficients; e.g. RetinaNet on DIOR 1e-5).
        disw_dtype: ``'float32'`` ([our default]) or ``'float16'`` (the official accumulation,
            in which boxes over ~2000 cells add nothing; :func:`~mmfreqkd.ops.disw_weights`).
        rotated_footprint: rotated boxes weigh the cells they cover (``'cells'``, [our
            default]) or those of their axis-aligned hull (``'hull'``); see :func:`gt_boxes`.
        normalize: ``'level'`` ([our default]): each image's map divided by its mean over
            the level; ``'none'``: the official, unnormalised map (see the module docstring).
    """

    #: ``(gt_instances list, {(level shape, input shape, dtype, footprint): maps})`` of the
    #: last call: the low and high band losses of one step receive the same list (the
    #: distiller builds each batch entry once per step), so each level's maps are computed once
    _shared_maps = (None, {})

    def __init__(self, band: str = 'low', loss_weight: float = 1.0,
                 disw_dtype: str = 'float32', rotated_footprint: str = 'cells',
                 normalize: str = 'level') -> None:
        super().__init__()
        if band not in ('low', 'high'):
            raise ValueError(f"DISWFeatureLoss band must be 'low' or 'high', got {band!r}")
        if disw_dtype not in DISW_DTYPES:
            raise ValueError(f'DISWFeatureLoss disw_dtype must be one of {DISW_DTYPES}, got '
                             f'{disw_dtype!r}')
        if rotated_footprint not in ROTATED_FOOTPRINTS:
            raise ValueError(f'DISWFeatureLoss rotated_footprint must be one of '
                             f'{ROTATED_FOOTPRINTS}, got {rotated_footprint!r}')
        if normalize not in NORMALIZATIONS:
            raise ValueError(f'DISWFeatureLoss normalize must be one of {NORMALIZATIONS}, got '
                             f'{normalize!r}')
        self.band, self.loss_weight, self.disw_dtype = band, loss_weight, disw_dtype
        self.rotated_footprint, self.normalize = rotated_footprint, normalize

    def forward(self, preds_S: Sequence, preds_T: Sequence, gt_instances: Sequence,
                batch_input_shape: Sequence) -> torch.Tensor:
        """``preds_*``: per level ``(cA, (cH, cV, cD))``; ``gt_instances`` and
        ``batch_input_shape`` (the padded input (H, W)): one per image."""
        if len(preds_S) != len(preds_T):
            raise ValueError(f'DISWFeatureLoss: {len(preds_S)} student levels vs '
                             f'{len(preds_T)} teacher levels')
        boxes = [gt_boxes(instances, self.rotated_footprint) for instances in gt_instances]
        input_shape = tuple(batch_input_shape[0])
        total = 0.
        for level, ((low_s, high_s), (low_t, high_t)) in enumerate(zip(preds_S, preds_T)):
            check_pair(type(self).__name__, f'level-{level} band', low_s, low_t)
            weight = self._maps(gt_instances, boxes, input_shape, tuple(low_s.shape[-2:]))
            weight = weight.to(low_s.dtype)[:, None]
            if self.normalize == 'level':
                weight = weight / weight.mean((2, 3), keepdim=True)
            if self.band == 'low':
                total = total + ((low_s - low_t).pow(2) * weight).mean()
            else:
                squares = sum(((s - t).pow(2) * weight).sum() for s, t in zip(high_s, high_t))
                total = total + squares / (3 * low_s.numel())
        return self.loss_weight * total

    def _maps(self, gt_instances, boxes, input_shape, size) -> torch.Tensor:
        """DISW maps (B, h, w) of one level, computed once per ``gt_instances`` list."""
        owner, maps = DISWFeatureLoss._shared_maps
        if owner is not gt_instances:
            owner, maps = gt_instances, {}
            DISWFeatureLoss._shared_maps = (owner, maps)
        key = (size, input_shape, self.disw_dtype, self.rotated_footprint)
        if key not in maps:
            maps[key] = disw_weights(boxes, input_shape, size, self.disw_dtype)
        return maps[key]
