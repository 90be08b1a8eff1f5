"""SFKD's wavelet-domain feature loss (Wang and Wang, arXiv 2607.01906: a multi-level DWT
decouples the features; docs/methods/sfkd.md): the student's and the teacher's maps are split by
a J-level 2-D DWT and compared band by band. The paper publishes the decoupling, not the loss;
the per-band weights and the normalisation are our documented defaults."""
from typing import List, Optional

import torch
import torch.nn as nn

from ...ops import wavedec2
from ...registry import MODELS
from ._checks import check_pair

__all__ = ['WaveletBandLoss', 'NORMALIZATIONS']

#: What :class:`WaveletBandLoss` divides the band errors by (``None``: nothing).
NORMALIZATIONS = ('map', 'band', None)


def _bands(coeffs) -> List[torch.Tensor]:
    """``[cA_J, cH_J, cV_J, cD_J, ..., cH_1, cV_1, cD_1]`` of a ``wavedec2`` result."""
    return [coeffs[0]] + [band for details in coeffs[1:] for band in details]


@MODELS.register_module()
class WaveletBandLoss(nn.Module):
    """A weighted squared error over the bands ``b`` of a ``level``-level 2-D DWT of the
    student's (``S``) and the teacher's (``T``) maps, ``w_b = low_weight`` for the
    approximation band ``cA_J`` and ``high_weight`` for every detail band:

    - ``normalize='map'``: ``sum_b w_b sum((S_b - T_b)^2) / (sum_b sum(T_b^2) + eps)``, the
      error relative to the teacher map's wavelet energy (its energy, by Parseval, for an
      orthogonal wavelet): the loss does not depend on the teacher's scale, and each band
      counts with the energy it has.
    - ``normalize='band'``: ``sum_b w_b mean((S_b - T_b)^2) / (mean(T_b^2) + eps)``, each band's
      error relative to its own energy, so that a detail band of little energy weighs as much
      as the approximation band. When the teacher's map is smooth (e.g. after an activation)
      this inflates the detail terms of a noisy student map many times, and a constant
      student map, which has no detail, becomes a minimum a student can fall into and not
      leave (on the embedded MobileViT -> ResNet pair some seeds ended at chance accuracy).
    - ``normalize=None``: ``sum_b w_b mean((S_b - T_b)^2)``.

    Computed in at least float32.

    Args:
        level: J [our default] 2.
        wavelet: any discrete PyWavelets wavelet [our default] ``'haar'``.
        mode: signal extension (:data:`mmfreqkd.ops.MODES`) [our default] ``'zero'``.
        low_weight: [our default] 1.
        high_weight: [our default] 0.5.
        normalize: one of :data:`NORMALIZATIONS`, above [our default] ``'map'``.
        eps: added to the denominator (default 1e-6).
        loss_weight: beta of the total loss [our default] 1.

    Examples:
        >>> f = torch.randn(2, 8, 14, 14)
        >>> float(WaveletBandLoss()(f, f))
        0.0
    """

    def __init__(self, level: int = 2, wavelet: str = 'haar', mode: str = 'zero',
                 low_weight: float = 1.0, high_weight: float = 0.5,
                 normalize: Optional[str] = 'map', eps: float = 1e-6,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if level < 1:
            raise ValueError(f'WaveletBandLoss: level must be >= 1, got {level}')
        if normalize not in NORMALIZATIONS:
            raise ValueError(f'WaveletBandLoss: normalize must be one of {NORMALIZATIONS}, '
                             f'got {normalize!r}')
        self.level, self.wavelet, self.mode = level, wavelet, mode
        self.low_weight, self.high_weight = low_weight, high_weight
        self.normalize, self.eps, self.loss_weight = normalize, eps, loss_weight

    def forward(self, preds_S: torch.Tensor, preds_T: torch.Tensor) -> torch.Tensor:
        check_pair('WaveletBandLoss', 'features', preds_S, preds_T)
        dtype = torch.promote_types(preds_S.dtype, torch.float32)
        student = _bands(wavedec2(preds_S.to(dtype), self.wavelet, self.level, self.mode))
        teacher = _bands(wavedec2(preds_T.detach().to(dtype), self.wavelet, self.level,
                                  self.mode))
        weights = [self.low_weight] + [self.high_weight] * (len(student) - 1)
        if self.normalize == 'map':
            energy = sum(t.pow(2).sum() for t in teacher) + self.eps
            loss = sum(w * (s - t).pow(2).sum() for w, s, t in zip(weights, student, teacher))
            return self.loss_weight * loss / energy
        loss = preds_S.new_zeros((), dtype=dtype)
        for w, s, t in zip(weights, student, teacher):
            term = (s - t).pow(2).mean()
            if self.normalize == 'band':
                term = term / (t.pow(2).mean() + self.eps)
            loss = loss + w * term
        return self.loss_weight * loss
