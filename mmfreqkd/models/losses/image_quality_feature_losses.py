"""SLKD's two feature losses (Zhang and Yan, "Simultaneous Learning Knowledge Distillation for
Image Restoration", ICASSP 2025, arXiv 2501.09268; docs/methods/slkd.md):

* **L_NC** (degradation removal learning): the student encoder's features and teacher A's
  (degraded input), each through a Scale Conversion Module
  (:class:`~mmfreqkd.models.connectors.ScaleConversionModule`), compared through BRISQUE's
  natural-scene statistics (:class:`NaturalSceneStatisticsLoss`);
* **L_ET** (image reconstruction learning): the student decoder's features and teacher B's
  (clean input), compared through PIQE's block cues (:class:`PerceptionCueLoss`).

The paper names the extractors; their use as losses below is our documented default.
"""
from typing import Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

from ...registry import MODELS
from ..extractors import brisque_features, mscn, paired_products, piqe_cues

__all__ = ['NaturalSceneStatisticsLoss', 'PerceptionCueLoss']


def _image_pair(loss: str, student: torch.Tensor, teacher: torch.Tensor, data_range: float):
    """Both image-like maps on BRISQUE's/PIQE's [0, 255] scale; the student's resized to the
    teacher's grid."""
    for side, x in (('student', student), ('teacher', teacher)):
        if x.dim() != 4:
            raise ValueError(f'{loss}: the {side} map must be (B, C, H, W), got shape '
                             f'{tuple(x.shape)}; put a ScaleConversionModule in its connector')
    if student.shape[:2] != teacher.shape[:2]:
        raise ValueError(f'{loss}: student map {tuple(student.shape)} and teacher map '
                         f'{tuple(teacher.shape)} differ in batch or channels; give both '
                         'ScaleConversionModules the same out_channels')
    if student.shape[-2:] != teacher.shape[-2:]:
        student = F.interpolate(student, size=teacher.shape[-2:], mode='bilinear',
                                align_corners=False)
    scale = 255.0 / data_range
    return student * scale, teacher.detach() * scale


@MODELS.register_module()
class NaturalSceneStatisticsLoss(nn.Module):
    """L_NC: ``|| BRISQUE(S) - BRISQUE(T) ||_1`` (mean over entries) of two image-like maps.

    Args:
        mode: ``'features'`` ([our default]): BRISQUE's 18 statistics per scale and channel
            (GGD/AGGD fits of the MSCN map and its four paired products); ``'maps'``: the
            MSCN map and the four paired-product maps themselves (dense, at the first scale).
        scales: BRISQUE's scales (2, as the paper of BRISQUE; maps smaller than 14 px a side
            need 1).
        data_range: the maps' value range (1 after a ScaleConversionModule).
        loss_weight: the weight of the term (lambda_3 of SLKD's total, [our default] 0.1).
    """

    def __init__(self, mode: str = 'features', scales: int = 2, data_range: float = 1.0,
                 loss_weight: float = 0.1) -> None:
        super().__init__()
        if mode not in ('features', 'maps'):
            raise ValueError(f"NaturalSceneStatisticsLoss: mode must be 'features' or 'maps', "
                             f'got {mode!r}')
        self.mode, self.scales = mode, scales
        self.data_range, self.loss_weight = data_range, loss_weight

    def describe(self, x: torch.Tensor) -> torch.Tensor:
        """The compared quantities of a [0, 255] map."""
        if self.mode == 'features':
            return brisque_features(x, scales=self.scales)
        m = mscn(x)
        return torch.cat([m] + list(paired_products(m, circular=True)), dim=1)

    def forward(self, preds_S: torch.Tensor, preds_T: torch.Tensor) -> torch.Tensor:
        student, teacher = _image_pair(type(self).__name__, preds_S, preds_T, self.data_range)
        with torch.no_grad():
            target = self.describe(teacher)
        return self.loss_weight * (self.describe(student) - target).abs().mean()


@MODELS.register_module()
class PerceptionCueLoss(nn.Module):
    """L_ET: ``mean_b a_b |PIQE(S)_b - PIQE(T)_b|_1``, the PIQE block cues of two image-like maps
    compared block by block, weighted by the teacher's soft block activity ``a_b`` (PIQE scores
    only active, salient blocks).

    Args:
        cues: the compared cues of :func:`~mmfreqkd.models.extractors.piqe_cues` ([our
            default] activity, edges, artefact, noise).
        activity_weighted: weight the blocks by the teacher's activity (default True); with
            False, a plain mean over blocks.
        data_range: the maps' value range (1 after a ScaleConversionModule).
        loss_weight: the weight of the term (lambda_3 of SLKD's total, [our default] 0.1).
        temperatures: ``activity_temperature``, ``artefact_temperature``,
            ``noise_temperature`` of the soft cues.
    """

    CUES = ('activity', 'edges', 'artefact', 'noise', 'variance')

    def __init__(self, cues: Sequence[str] = ('activity', 'edges', 'artefact', 'noise'),
                 activity_weighted: bool = True, data_range: float = 1.0,
                 loss_weight: float = 0.1, **temperatures) -> None:
        super().__init__()
        unknown = sorted(set(cues) - set(self.CUES))
        if unknown or not cues:
            raise ValueError(f'PerceptionCueLoss: cues must be a non-empty subset of '
                             f'{self.CUES}, got {list(cues)}')
        self.cues, self.activity_weighted = tuple(cues), activity_weighted
        self.data_range, self.loss_weight = data_range, loss_weight
        self.temperatures = temperatures

    def forward(self, preds_S: torch.Tensor, preds_T: torch.Tensor) -> torch.Tensor:
        student, teacher = _image_pair(type(self).__name__, preds_S, preds_T, self.data_range)
        with torch.no_grad():
            target = piqe_cues(teacher, **self.temperatures)
        cues = piqe_cues(student, **self.temperatures)
        diff = sum((cues[k] - target[k]).abs() for k in self.cues) / len(self.cues)
        if not self.activity_weighted:
            return self.loss_weight * diff.mean()
        weight = target['activity']
        return self.loss_weight * (weight * diff).sum() / weight.sum().clamp_min(1e-6)
