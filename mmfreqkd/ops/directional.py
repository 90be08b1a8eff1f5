"""Directional filter bank as smooth angular wedges in the Fourier plane, and the contourlet.

The contourlet transform (Do & Vetterli, "The contourlet transform: an efficient directional
multiresolution image representation", IEEE TIP 14(12), 2005) splits each Laplacian band-pass
band into ``2^l`` directional sub-bands. As docs/methods/sstkd.md explains, the directional
filter bank is realised in the frequency domain: ``d_k = Re(IFFT2(FFT2(b) * W_k))`` with
raised-cosine wedges ``W_k`` over orientation in [0, pi) that form a partition of unity
(``sum_k W_k = 1``), so the sub-bands sum exactly to ``b``, are non-decimated and
differentiable. Wedge k is centred on frequency orientation ``k * pi / n``: wedge 0 holds
frequencies along the W axis (vertical stripes), wedge n/2 those along the H axis.
"""
import functools
import math
from typing import List, Sequence, Tuple, Union

import torch

from .pyramid import laplacian_pyramid

__all__ = ['wedge_masks', 'directional_split', 'contourlet']


def wedge_masks(h: int, w: int, n_dirs: int, device=None,
                dtype=torch.float32) -> torch.Tensor:
    """(n_dirs, h, w) raised-cosine orientation wedges in FFT layout, summing to 1 everywhere.

    Each wedge k is ``cos^2(n * d / 2)`` within angular distance ``|d| < pi / n`` of its centre
    ``k * pi / n`` (orientation taken modulo pi, so a frequency and its conjugate share a
    wedge); neighbouring wedges overlap so that the two weights sum to 1. DC, which has no
    orientation, is split equally.
    """
    if n_dirs < 1:
        raise ValueError(f'n_dirs must be >= 1, got {n_dirs}')
    fy = torch.fft.fftfreq(h, device=device, dtype=torch.float64)[:, None]
    fx = torch.fft.fftfreq(w, device=device, dtype=torch.float64)[None, :]
    theta = torch.atan2(fy.expand(h, w), fx.expand(h, w)).remainder(math.pi)
    centres = torch.arange(n_dirs, device=device, dtype=torch.float64) * math.pi / n_dirs
    d = (theta[None] - centres[:, None, None] + math.pi / 2).remainder(math.pi) - math.pi / 2
    masks = torch.where(d.abs() < math.pi / n_dirs, torch.cos(n_dirs * d / 2)**2,
                        torch.zeros_like(d))
    # symmetric under f -> -f (mod the grid): on the Nyquist row/column of even sizes the
    # angle of -f is not that of f, and a symmetric mask keeps every sub-band real (rfft2)
    masks = 0.5 * (masks + torch.roll(masks.flip(-2, -1), (1, 1), (-2, -1)))
    masks = masks / masks.sum(0, keepdim=True)  # exact unity despite rounding
    masks[:, 0, 0] = 1.0 / n_dirs
    return masks.to(dtype)


@functools.lru_cache(maxsize=128)
def _half_plane_masks(h: int, w: int, n_dirs: int, device: str,
                      dtype: torch.dtype) -> torch.Tensor:
    """The wedges on the ``rfft2`` half plane, built once per size, device and dtype."""
    return wedge_masks(h, w, n_dirs, device=device, dtype=dtype)[..., :w // 2 + 1].contiguous()


def directional_split(b: torch.Tensor, n_dirs: int) -> torch.Tensor:
    """Split (B, C, H, W) into (B, C, n_dirs, H, W) directional sub-bands summing to ``b``.

    Examples:
        >>> b = torch.randn(2, 3, 16, 16)
        >>> d = directional_split(b, 8)
        >>> d.shape, torch.allclose(d.sum(2), b, atol=1e-5)
        (torch.Size([2, 3, 8, 16, 16]), True)
    """
    if b.dim() != 4:
        raise ValueError(f'directional_split expects (B, C, H, W), got shape {tuple(b.shape)}')
    dtype = b.dtype if b.dtype in (torch.float32, torch.float64) else torch.float32
    h, w = b.shape[-2:]
    spectrum = torch.fft.rfft2(b.to(dtype))  # real input, symmetric masks: half the spectrum
    masks = _half_plane_masks(h, w, n_dirs, str(b.device), dtype)
    return torch.fft.irfft2(spectrum.unsqueeze(2) * masks, s=(h, w)).to(b.dtype)


def contourlet(x: torch.Tensor,
               levels: int,
               n_dirs: Union[int, Sequence[int]] = 8,
               filters: str = '9-7',
               mode: str = 'reflect') -> Tuple[List[torch.Tensor], torch.Tensor]:
    """Contourlet decomposition: Laplacian pyramid, then directional split of each band-pass.

    Args:
        x: (B, C, H, W).
        levels: pyramid levels J.
        n_dirs: directions per level (an int for all, or one per level, finest first).
        filters, mode: as for :func:`~mmfreqkd.ops.laplacian_pyramid`.

    Returns:
        ``([d_1, ..., d_J], a_J)`` with ``d_j`` of shape (B, C, n_dirs_j, H_j, W_j), finest
        first, and the coarse approximation ``a_J``. ``x`` is exactly
        ``laplacian_reconstruct([d_j.sum(2) for d_j in ds] + [a_J])``.
    """
    dirs = [n_dirs] * levels if isinstance(n_dirs, int) else list(n_dirs)
    if len(dirs) != levels:
        raise ValueError(f'n_dirs gives {len(dirs)} values for {levels} levels')
    *bandpass, coarse = laplacian_pyramid(x, levels, filters, mode)
    return [directional_split(b, n) for b, n in zip(bandpass, dirs)], coarse
