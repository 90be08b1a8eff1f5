"""Laplacian pyramid with the '9-7' filters (Burt & Adelson 1983; Do & Vetterli 2005, Sec. III).

One level (Do & Vetterli 2005, Sec. III; docs/methods/sstkd.md): ``low = down2(h * a)``,
``pred = g * up2(low)`` (zero insertion),
``b = a - pred``; iterated on ``low``. ``h`` (9 taps) and ``g`` (7 taps) are the CDF 9/7
(biorthogonal 4.4) low-pass filters, i.e. the contourlet toolbox's ``pfilters('9-7')``; they are
read from ``pywt.Wavelet('bior4.4')``. Each 1-D filter sums to sqrt(2), so ``g⊗g`` (DC gain 2)
after zero insertion restores the mean and every band-pass ``b`` has zero mean. Reconstruction
``a = b + g * up2(low)`` is exact by construction.
"""
import functools
from typing import List, Tuple

import pywt
import torch
import torch.nn.functional as F

from ._extension import extend

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


def _separable(x: torch.Tensor, taps: Tuple[float, ...], mode: str) -> torch.Tensor:
    """Same-size separable filtering of (N, 1, H, W) with a symmetric odd-length filter."""
    k = torch.tensor(taps, dtype=x.dtype, device=x.device)
    half = len(taps) // 2
    x = extend(x, 2, -half, x.shape[2] + 2 * half, mode)
    x = F.conv2d(x, k.view(1, 1, -1, 1))
    x = extend(x, 3, -half, x.shape[3] + 2 * half, mode)
    return F.conv2d(x, k.view(1, 1, 1, -1))


def _synthesise(low: torch.Tensor, size: Tuple[int, int], g, mode: str) -> torch.Tensor:
    up = low.new_zeros(*low.shape[:2], *size)
    up[..., ::2, ::2] = low
    return _separable(up, g, mode)


def _flat(x: torch.Tensor) -> Tuple[torch.Tensor, torch.dtype]:
    if x.dim() != 4:
        raise ValueError(f'expected (B, C, H, W), got shape {tuple(x.shape)}')
    dtype = x.dtype if x.dtype in (torch.float32, torch.float64) else torch.float32
    return x.reshape(-1, 1, *x.shape[-2:]).to(dtype), x.dtype


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
    h, g = laplacian_filters(filters)
    b, c = x.shape[:2]
    a, dtype = _flat(x)
    bands = []
    for _ in range(levels):
        low = _separable(a, h, mode)[..., ::2, ::2]
        bands.append(a - _synthesise(low, a.shape[-2:], g, mode))
        a = low
    bands.append(a)
    return [t.to(dtype).reshape(b, c, *t.shape[-2:]) for t in bands]


def laplacian_reconstruct(bands: List[torch.Tensor],
                          filters: str = '9-7',
                          mode: str = 'reflect') -> torch.Tensor:
    """Invert :func:`laplacian_pyramid` (same ``filters`` and ``mode``): exact."""
    _, g = laplacian_filters(filters)
    b, c = bands[0].shape[:2]
    a, dtype = _flat(bands[-1])
    for band in reversed(bands[:-1]):
        flat, _ = _flat(band)
        a = flat + _synthesise(a, flat.shape[-2:], g, mode)
    return a.to(dtype).reshape(b, c, *a.shape[-2:])
