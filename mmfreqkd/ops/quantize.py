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

__all__ = ['soft_quantize', 'soft_quantize_sparse', 'scatter_levels', 'histogram_equalize']

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


def _neighbours(s: torch.Tensor, levels: torch.Tensor, spacing: torch.Tensor, lo: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The three levels around every value: (index (N, L, 3), distance (N, L, 3), in range).

    Level n sits at ``u = n`` of ``u = (s - lo) / spacing - 1/2``; any level within one
    spacing of s is among ``floor(u) - 1 .. floor(u) + 1`` (the outer two guard against
    rounding of u), so a value's non-zero weights are found without comparing it to every
    level. Indices outside ``[0, n)`` are clamped and flagged out of range."""
    n_levels = levels.shape[1]
    centre = torch.floor((s.detach() - lo) / spacing - 0.5).long()
    index = centre[..., None] + torch.arange(-1, 2, device=s.device)
    in_range = (index >= 0) & (index < n_levels)
    index = index.clamp(0, n_levels - 1)
    near = levels.gather(1, index.flatten(1)).view_as(index)
    return index, (near - s[..., None]).abs(), in_range


def scatter_levels(index: torch.Tensor, weight: torch.Tensor, n_levels: int) -> torch.Tensor:
    """Dense (N, L, n_levels) assignment from the sparse ``index`` / ``weight`` (N, L, K)."""
    dense = weight.new_zeros(*weight.shape[:2], n_levels)
    return dense.scatter_add(2, index, weight)


def soft_quantize_sparse(
        s: torch.Tensor,
        n_levels: int,
        value_range: ValueRange = None
) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """:func:`soft_quantize` with the assignment kept sparse: every value has non-zero weight
    on at most two levels, so (N, L, 3) indices and weights replace the (N, L, n_levels)
    matrix: memory and time no longer grow with the number of levels.

    Returns:
        ``levels`` (N, n_levels), ``index`` and ``weight`` (N, L, 3) (the assignment is
        ``scatter_levels(index, weight, n_levels)``) and the normalised ``counts``
        (N, n_levels).
    """
    levels, spacing, lo = _levels(s, n_levels, value_range)
    index, dist, in_range = _neighbours(s, levels, spacing, lo)
    weight = torch.where(in_range & (dist < spacing[..., None]), 1 - dist,
                         torch.zeros_like(dist))
    counts = weight.new_zeros(s.shape[0], n_levels).scatter_add(1, index.flatten(1),
                                                                weight.flatten(1))
    return levels, index, weight, counts / counts.sum(1, keepdim=True).clamp_min(_EPS)


def soft_quantize(
        s: torch.Tensor,
        n_levels: int,
        value_range: ValueRange = None) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """STLNet quantisation and counting of intensities ``s`` (N, L).

    The levels span ``[min s, max s]`` of each sample, or ``value_range = (lo, hi)`` (tensors of
    N values): values farther than one spacing from every level are then assigned nowhere.

    Returns:
        ``levels`` (N, n_levels), the soft one-hot ``assignment`` (N, L, n_levels) and the
        normalised ``counts`` (N, n_levels), which sum to 1 per sample. For large L x
        n_levels use :func:`soft_quantize_sparse`.

    Examples:
        >>> levels, assign, counts = soft_quantize(torch.rand(2, 100), 16)
        >>> assign.shape, torch.allclose(counts.sum(1), torch.ones(2))
        (torch.Size([2, 100, 16]), True)
    """
    levels, index, weight, counts = soft_quantize_sparse(s, n_levels, value_range)
    return levels, scatter_levels(index, weight, n_levels), counts


def histogram_equalize(s: torch.Tensor, n_levels: int = 128) -> torch.Tensor:
    """Differentiable histogram equalisation of intensities ``s`` (N, L), per sample.

    The histogram is linearly binned (each value splits its unit mass between its two nearest
    levels with hat weights of width Delta, a partition of unity, unlike STLNet's counting of
    :func:`soft_quantize`), and each value is mapped to ``min + (max - min) * CDF_mid(value)``,
    ``CDF_mid`` at a level being the mass below it plus half its own, interpolated with the same
    hat weights (linearly towards 0 and 1 in the half bins at the ends of the range). A uniform
    histogram therefore maps to itself. Memory is O(L), not O(L x n_levels).

    Examples:
        >>> s = torch.linspace(0, 1, 1000)[None]
        >>> torch.allclose(histogram_equalize(s, 64), s, atol=1e-3)
        True
    """
    levels, spacing, lo = _levels(s, n_levels)
    index, dist, in_range = _neighbours(s, levels, spacing, lo)
    hat = torch.where(in_range, (1 - dist / spacing[..., None]).clamp_min(0),
                      torch.zeros_like(dist))
    hat = hat / hat.sum(2, keepdim=True).clamp_min(_EPS)
    counts = hat.new_zeros(s.shape[0], n_levels).scatter_add(1, index.flatten(1),
                                                             hat.flatten(1)) / s.shape[1]
    cdf_mid = counts.cumsum(1) - counts / 2
    mapped = (hat * cdf_mid.gather(1, index.flatten(1)).view_as(index)).sum(2)
    span = n_levels * spacing
    first, last = levels[:, :1], levels[:, -1:]
    mapped = torch.where(s < first, cdf_mid[:, :1] * (s - lo) / (first - lo), mapped)
    mapped = torch.where(s > last, cdf_mid[:, -1:] + (1 - cdf_mid[:, -1:]) * (s - last) /
                         (lo + span - last), mapped)
    return lo + span * mapped
