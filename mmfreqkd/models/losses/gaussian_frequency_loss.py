"""SFKD's Gaussian-filtered frequency loss, GFFL (Wang and Wang, "Spatial-Frequency Joint-Aware
Heterogeneous Knowledge Distillation via Multi-Level Wavelet Spectral Interaction", arXiv
2607.01906): the student's and the teacher's feature spectra are compared under a Gaussian
window centred at DC, so the loss attends to the global (low-frequency) energy distribution.

The paper publishes only that the loss is FFT-based and Gaussian-filtered; the form below, the
window's width and the amplitude-only variant are our documented defaults
(docs/methods/sfkd.md)."""
from typing import Optional

import torch
import torch.nn as nn

from ...ops.fourier import gaussian_lowpass_mask
from ...registry import MODELS
from ._checks import check_pair

__all__ = ['GaussianFrequencyLoss']


@MODELS.register_module()
class GaussianFrequencyLoss(nn.Module):
    """``mean_{b,c,u,v} G(u, v) |X - Y|`` (``mode='complex'``) or
    ``mean G(u, v) | |X| - |Y| |`` (``mode='amplitude'``), with ``X = FFT2(F_s)``,
    ``Y = FFT2(F_t)`` (orthonormal, per channel) and ``G(u, v) = exp(-(u^2 + v^2) / (2 sigma^2))``,
    ``u, v`` in cycles per feature size.

    The amplitude-only variant ignores the phase, so it tolerates a spatial shift between the
    student's and the teacher's maps (heterogeneous architectures place features differently).
    Computed in at least float32 (half inputs are promoted; float64 stays float64).

    Args:
        sigma: the window's standard deviation in cycles per feature size; ``None``: ``sigma_ratio
            * min(H, W)``.
        sigma_ratio: [our default] 0.25.
        mode: ``'complex'`` [our default] or ``'amplitude'``.
        loss_weight: gamma of the total loss [our default] 1.

    Examples:
        >>> f = torch.randn(2, 8, 7, 7)
        >>> float(GaussianFrequencyLoss()(f, f))
        0.0
    """

    def __init__(self, sigma: Optional[float] = None, sigma_ratio: float = 0.25,
                 mode: str = 'complex', loss_weight: float = 1.0) -> None:
        super().__init__()
        if mode not in ('complex', 'amplitude'):
            raise ValueError(f"GaussianFrequencyLoss: mode must be 'complex' or 'amplitude', "
                             f'got {mode!r}')
        if (sigma if sigma is not None else sigma_ratio) <= 0:
            raise ValueError(f'GaussianFrequencyLoss: sigma must be > 0, got sigma={sigma}, '
                             f'sigma_ratio={sigma_ratio}')
        self.sigma, self.sigma_ratio, self.mode = sigma, sigma_ratio, mode
        self.loss_weight = loss_weight

    def forward(self, preds_S: torch.Tensor, preds_T: torch.Tensor) -> torch.Tensor:
        check_pair('GaussianFrequencyLoss', 'features', preds_S, preds_T)
        if preds_S.dim() != 4:
            raise ValueError('GaussianFrequencyLoss: expects feature maps (B, C, H, W), got '
                             f'shape {tuple(preds_S.shape)}')
        dtype = torch.promote_types(preds_S.dtype, torch.float32)
        h, w = preds_S.shape[-2:]
        sigma = self.sigma if self.sigma is not None else self.sigma_ratio * min(h, w)
        with torch.autocast(preds_S.device.type, enabled=False):
            spec_s = torch.fft.fft2(preds_S.to(dtype), norm='ortho')
            spec_t = torch.fft.fft2(preds_T.detach().to(dtype), norm='ortho')
            if self.mode == 'complex':
                diff = (spec_s - spec_t).abs()
            else:
                diff = (spec_s.abs() - spec_t.abs()).abs()
            window = gaussian_lowpass_mask(h, w, sigma, device=preds_S.device, dtype=dtype)
            return self.loss_weight * (window * diff).mean()
