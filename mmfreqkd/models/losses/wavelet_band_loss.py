"""SFKD's wavelet-domain feature loss (Wang and Wang, arXiv 2607.01906: a multi-level DWT
decouples the features; docs/methods/sfkd.md): the student's and the teacher's maps are split by
a J-level 2-D DWT and compared band by band. The paper publishes the decoupling, not the loss;
the per-band weights and the normalisation are our documented defaults."""
from typing import List

import torch
import torch.nn as nn

from ...ops import wavedec2
from ...registry import MODELS
from ._checks import check_pair

__all__ = ['WaveletBandLoss']


def _bands(coeffs) -> List[torch.Tensor]:
    """``[cA_J, cH_J, cV_J, cD_J, ..., cH_1, cV_1, cD_1]`` of a ``wavedec2`` result."""
    return [coeffs[0]] + [band for details in coeffs[1:] for band in details]


@MODELS.register_module()
class WaveletBandLoss(nn.Module):
    """``sum_b w_b mean((S_b - T_b)^2) / (rms(T_b)^2 + eps)`` over the bands ``b`` of a
    ``level``-level 2-D DWT of the student's (``S``) and the teacher's (``T``) maps (the
    division only with ``normalize``): ``w_b = low_weight`` for the approximation band
    ``cA_J``, ``high_weight`` for every detail band. Normalising by the teacher band's energy
    keeps the small detail bands from being drowned by the approximation band. Computed in
    at least float32.

    Args:
        level: J [our default] 2.
        wavelet: any discrete PyWavelets wavelet [our default] ``'haar'``.
        mode: signal extension (:data:`mmfreqkd.ops.MODES`) [our default] ``'zero'``.
        low_weight: [our default] 1.
        high_weight: [our default] 0.5.
        normalize: divide by the teacher band's mean square [our default] True.
        eps: added to the mean square (default 1e-6).
        loss_weight: beta of the total loss [our default] 1.

    Examples:
        >>> f = torch.randn(2, 8, 14, 14)
        >>> float(WaveletBandLoss()(f, f))
        0.0
    """

    def __init__(self, level: int = 2, wavelet: str = 'haar', mode: str = 'zero',
                 low_weight: float = 1.0, high_weight: float = 0.5, normalize: bool = True,
                 eps: float = 1e-6, loss_weight: float = 1.0) -> None:
        super().__init__()
        if level < 1:
            raise ValueError(f'WaveletBandLoss: level must be >= 1, got {level}')
        self.level, self.wavelet, self.mode = level, wavelet, mode
        self.low_weight, self.high_weight = low_weight, high_weight
        self.normalize, self.eps, self.loss_weight = normalize, eps, loss_weight

    def forward(self, preds_S: torch.Tensor, preds_T: torch.Tensor) -> torch.Tensor:
        check_pair('WaveletBandLoss', 'features', preds_S, preds_T)
        dtype = torch.promote_types(preds_S.dtype, torch.float32)
        student = _bands(wavedec2(preds_S.to(dtype), self.wavelet, self.level, self.mode))
        teacher = _bands(wavedec2(preds_T.detach().to(dtype), self.wavelet, self.level,
                                  self.mode))
        loss = preds_S.new_zeros((), dtype=dtype)
        for i, (s, t) in enumerate(zip(student, teacher)):
            term = (s - t).pow(2).mean()
            if self.normalize:
                term = term / (t.pow(2).mean() + self.eps)
            loss = loss + (self.low_weight if i == 0 else self.high_weight) * term
        return self.loss_weight * loss
