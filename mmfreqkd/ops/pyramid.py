"""Laplacian pyramid with the '9-7' filters (Burt & Adelson 1983; Do & Vetterli 2005, Sec. III).

One level (Do & Vetterli 2005, Sec. III; docs/methods/sstkd.md): ``low = down2(h * a)``,
``pred = g * up2(low)`` (zero insertion),
``b = a - pred``; iterated on ``low``. ``h`` (9 taps) and ``g`` (7 taps) are the CDF 9/7
(biorthogonal 4.4) low-pass filters, i.e. the contourlet toolbox's ``pfilters('9-7')``; they are
read from ``pywt.Wavelet('bior4.4')``. Each 1-D filter sums to sqrt(2), so ``g⊗g`` (DC gain 2)
after zero insertion restores the mean and every band-pass ``b`` has zero mean. Reconstruction
``a = b + g * up2(low)`` is exact by construction. Along each axis a level is a fixed matrix
(filtering with the border extension, then decimation; or zero insertion, then filtering), so a
level is four small matrix products, batched over B and C.
"""
import functools
from typing import List, Tuple

import pywt
import torch

from ._extension import source_index

__all__ = ['laplacian_filters', 'laplacian_pyramid', 'laplacian_reconstruct']

PYRAMID_MODES = ('symmetric', 'reflect', 'periodic')


@functools.lru_cache(maxsize=None)
def laplacian_filters(name: str = '9-7') -> Tuple[Tuple[float, ...], Tuple[float, ...]]:
    """(analysis h, synthesis g) low-pass filters, leading/trailing zeros removed."""
    if name != '9-7':
        raise ValueError(f"only the '9-7' pyramid filters are available, got {name!r}")
    w = pywt.Wavelet('bior4.4')

    def trim(f):
        nz = [i for i, v in enumerate(f) if abs(v) > 0]
        return tuple(f[nz[0]:nz[-1] + 1])
    return trim(w.dec_lo), trim(w.rec_lo)


@functools.lru_cache(maxsize=None)
def _filter_matrix(n: int, taps: Tuple[float, ...], mode: str) -> torch.Tensor:
    """(n, n) float64 matrix of same-size filtering with the centred odd-length ``taps`` on a
    signal extended by ``mode``: ``y[i] = sum_t taps[t] * x_ext[i - len(taps) // 2 + t]``."""
    half = len(taps) // 2
    idx, _ = source_index(torch.arange(-half, n + half), n, mode)
    matrix = torch.zeros(n, n, dtype=torch.float64)
    rows = torch.arange(n)
    for t, tap in enumerate(taps):
        matrix.index_put_((rows, idx[t:t + n]), torch.tensor(tap, dtype=torch.float64),
                          accumulate=True)
    return matrix


@functools.lru_cache(maxsize=256)
def _operators(n: int, filters: str, mode: str, dtype: torch.dtype,
               device: str) -> Tuple[torch.Tensor, torch.Tensor]:
    """(analysis (ceil(n/2), n), synthesis (n, ceil(n/2))) matrices of one pyramid level along
    a dimension of length n: filter with h then keep even samples; insert zeros then filter
    with g (a level is ``A_H X A_W^T`` and ``S_H low S_W^T``: two matrix products per side,
    fast on small maps and exact, instead of per-channel convolutions)."""
    h, g = laplacian_filters(filters)
    analysis = _filter_matrix(n, h, mode)[::2]
    synthesis = _filter_matrix(n, g, mode)[:, ::2]
    return (analysis.to(device=device, dtype=dtype).contiguous(),
            synthesis.to(device=device, dtype=dtype).contiguous())


def _level(a: torch.Tensor, filters: str, mode: str) -> Tuple[torch.Tensor, torch.Tensor]:
    """One level on (..., H, W): (band-pass b, low-pass low)."""
    (ah, sh), (aw, sw) = (_operators(n, filters, mode, a.dtype, str(a.device))
                          for n in a.shape[-2:])
    low = ah @ a @ aw.T
    return a - sh @ low @ sw.T, low


def _synthesise(low: torch.Tensor, size: Tuple[int, int], filters: str,
                mode: str) -> torch.Tensor:
    """``g * up2(low)`` at ``size``."""
    (_, sh), (_, sw) = (_operators(n, filters, mode, low.dtype, str(low.device)) for n in size)
    return sh @ low @ sw.T


def _compute_dtype(x: torch.Tensor) -> torch.dtype:
    if x.dim() != 4:
        raise ValueError(f'expected (B, C, H, W), got shape {tuple(x.shape)}')
    return x.dtype if x.dtype in (torch.float32, torch.float64) else torch.float32


def laplacian_pyramid(x: torch.Tensor,
                      levels: int,
                      filters: str = '9-7',
                      mode: str = 'reflect') -> List[torch.Tensor]:
    """Decompose ``x`` (B, C, H, W) into ``[b_1, ..., b_J, a_J]``.

    ``b_j`` has the size of ``a_{j-1}`` (``a_0 = x``), ``a_j`` is ``a_{j-1}`` filtered and
    down-sampled to ``ceil(size / 2)``. Any size works (odd and tiny ones included).

    Args:
        x: input feature map.
        levels: number of band-pass levels J >= 1.
        filters: pyramid filters (``'9-7'``).
        mode: border extension, one of ``'reflect'`` (default: no seam at the border of a
            feature map), ``'symmetric'``, ``'periodic'`` (the contourlet toolbox's 'per').

    Examples:
        >>> x = torch.randn(2, 8, 33, 20)
        >>> bands = laplacian_pyramid(x, levels=3)
        >>> [tuple(b.shape[-2:]) for b in bands]
        [(33, 20), (17, 10), (9, 5), (5, 3)]
        >>> torch.allclose(laplacian_reconstruct(bands), x, atol=1e-5)
        True
    """
    if levels < 1:
        raise ValueError(f'levels must be >= 1, got {levels}')
    if mode not in PYRAMID_MODES:
        raise ValueError(f'mode {mode!r} is not supported; choose one of {PYRAMID_MODES}')
    a = x.to(_compute_dtype(x))
    bands = []
    for _ in range(levels):
        band, a = _level(a, filters, mode)
        bands.append(band)
    bands.append(a)
    return [t.to(x.dtype) for t in bands]


def laplacian_reconstruct(bands: List[torch.Tensor],
                          filters: str = '9-7',
                          mode: str = 'reflect') -> torch.Tensor:
    """Invert :func:`laplacian_pyramid` (same ``filters`` and ``mode``): exact."""
    a = bands[-1].to(_compute_dtype(bands[-1]))
    for band in reversed(bands[:-1]):
        a = band.to(a.dtype) + _synthesise(a, tuple(band.shape[-2:]), filters, mode)
    return a.to(bands[-1].dtype)
