"""Soft quantisation and counting (STLNet's QCO) and a differentiable histogram equalisation.

:func:`soft_quantize` follows the Quantization and Counting Operator of STLNet (Zhu et al.,
"Learning Statistical Texture for Semantic Segmentation", CVPR 2021, Sec. 3.2), as used by
SSTKD's statistical-texture branch (docs/methods/sstkd.md): N levels placed at the centres of N
equal bins
over ``[min S, max S]`` of each sample, a pixel's assignment to level n is ``1 - |L_n - S_i|``
kept where it exceeds ``1 - Delta`` (Delta the level spacing), and the normalised counts form the
histogram. :func:`histogram_equalize` maps every value through the mid-bin cumulative (linearly
binned) histogram, so it is differentiable and the identity on a uniform histogram.
"""
from typing import Optional, Tuple

import torch

__all__ = ['soft_quantize', 'histogram_equalize']

_EPS = 1e-12


ValueRange = Optional[Tuple[torch.Tensor, torch.Tensor]]


def _levels(s: torch.Tensor, n_levels: int,
            value_range: ValueRange = None) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per-sample (levels (N, n), spacing (N, 1), minimum (N, 1)) for s of shape (N, L),
    over ``[min, max]`` of each sample or the given ``value_range`` ((N,) or (N, 1) each)."""
    if s.dim() != 2:
        raise ValueError(f'expected intensities of shape (N, L), got {tuple(s.shape)}')
    if n_levels < 2:
        raise ValueError(f'n_levels must be >= 2, got {n_levels}')
    if value_range is None:
        lo = s.min(1, keepdim=True).values
        hi = s.max(1, keepdim=True).values
    else:
        lo, hi = (v.reshape(-1, 1).to(s.dtype) for v in value_range)
    spacing = ((hi - lo) / n_levels).clamp_min(_EPS)
    steps = torch.arange(n_levels, device=s.device, dtype=s.dtype) + 0.5
    return lo + steps * spacing, spacing, lo


def soft_quantize(
        s: torch.Tensor,
        n_levels: int,
        value_range: ValueRange = None) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """STLNet quantisation and counting of intensities ``s`` (N, L).

    The levels span ``[min s, max s]`` of each sample, or ``value_range = (lo, hi)`` (tensors of
    N values): values farther than one spacing from every level are then assigned nowhere.

    Returns:
        ``levels`` (N, n_levels), the soft one-hot ``assignment`` (N, L, n_levels) and the
        normalised ``counts`` (N, n_levels), which sum to 1 per sample.

    Examples:
        >>> levels, assign, counts = soft_quantize(torch.rand(2, 100), 16)
        >>> assign.shape, torch.allclose(counts.sum(1), torch.ones(2))
        (torch.Size([2, 100, 16]), True)
    """
    levels, spacing, _ = _levels(s, n_levels, value_range)
    dist = (levels[:, None, :] - s[:, :, None]).abs()
    assignment = torch.where(dist < spacing[:, :, None], 1 - dist, torch.zeros_like(dist))
    counts = assignment.sum(1)
    return levels, assignment, counts / counts.sum(1, keepdim=True).clamp_min(_EPS)


def histogram_equalize(s: torch.Tensor, n_levels: int = 128) -> torch.Tensor:
    """Differentiable histogram equalisation of intensities ``s`` (N, L), per sample.

    The histogram is linearly binned (each value splits its unit mass between its two nearest
    levels with hat weights of width Delta, a partition of unity, unlike STLNet's counting of
    :func:`soft_quantize`), and each value is mapped to ``min + (max - min) * CDF_mid(value)``,
    ``CDF_mid`` at a level being the mass below it plus half its own, interpolated with the same
    hat weights (linearly towards 0 and 1 in the half bins at the ends of the range). A uniform
    histogram therefore maps to itself.

    Examples:
        >>> s = torch.linspace(0, 1, 1000)[None]
        >>> torch.allclose(histogram_equalize(s, 64), s, atol=1e-3)
        True
    """
    levels, spacing, lo = _levels(s, n_levels)
    hat = (1 - (levels[:, None, :] - s[:, :, None]).abs() / spacing[:, :, None]).clamp_min(0)
    hat = hat / hat.sum(2, keepdim=True).clamp_min(_EPS)
    counts = hat.sum(1) / s.shape[1]
    cdf_mid = counts.cumsum(1) - counts / 2
    mapped = (hat * cdf_mid[:, None, :]).sum(2)
    span = n_levels * spacing
    first, last = levels[:, :1], levels[:, -1:]
    mapped = torch.where(s < first, cdf_mid[:, :1] * (s - lo) / (first - lo), mapped)
    mapped = torch.where(s > last, cdf_mid[:, -1:] + (1 - cdf_mid[:, -1:]) * (s - last) /
                         (lo + span - last), mapped)
    return lo + span * mapped
