"""Directional filter bank as smooth angular wedges in the Fourier plane, and the contourlet.

The contourlet transform (Do & Vetterli, "The contourlet transform: an efficient directional
multiresolution image representation", IEEE TIP 14(12), 2005) splits each Laplacian band-pass
band into ``2^l`` directional sub-bands. As docs/methods/sstkd.md explains, the directional
filter bank is realised in the frequency domain: ``d_k = Re(IFFT2(FFT2(b) * W_k))`` with
raised-cosine wedges ``W_k`` over orientation in [0, pi) that form a partition of unity
(``sum_k W_k = 1``), so the sub-bands sum exactly to ``b``, are non-decimated and
differentiable. Wedge k is centred on frequency orientation ``k * pi / n``: wedge 0 holds
frequencies along the W axis (vertical stripes), wedge n/2 those along the H axis.

:class:`DirectionalSubbands` keeps a band's sub-bands as the band's half-plane spectrum: their
mean squares (and those of a difference of two decompositions) follow by Parseval's theorem,
``sum_x d_k(x)^2 = (1 / HW) sum_f |B(f)|^2 W_k(f)^2``, without forming the n sub-bands.
"""
import functools
import math
from typing import List, Optional, Sequence, Tuple, Union

import torch

from .pyramid import laplacian_pyramid

__all__ = ['wedge_masks', 'DirectionalSubbands', 'directional_split', 'contourlet']


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


@functools.lru_cache(maxsize=128)
def _parseval_weights(h: int, w: int, n_dirs: int, device: str,
                      dtype: torch.dtype) -> torch.Tensor:
    """(n_dirs, h, w // 2 + 1) weights ``m(f) W_k(f)^2 / (hw)^2`` such that the mean square of
    sub-band k over the h x w positions is ``sum_f |B(f)|^2 weights_k(f)`` on the half plane
    ``B = rfft2(b)``; ``m(f)`` counts the bins the half plane stands for (2, or 1 on column 0
    and, for even w, on the Nyquist column)."""
    masks = _half_plane_masks(h, w, n_dirs, device, dtype)
    multiplicity = torch.full((masks.shape[-1], ), 2.0, device=device, dtype=dtype)
    multiplicity[0] = 1.0
    if w % 2 == 0:
        multiplicity[-1] = 1.0
    return (masks.square() * multiplicity / (h * w)**2).contiguous()


class DirectionalSubbands:
    """The ``n_dirs`` directional sub-bands of a (B, C, H, W) band, held as the band's
    ``rfft2`` half-plane spectrum (one complex map instead of n real ones).

    :meth:`materialize` returns the sub-bands, ``directional_split(band, n_dirs)``;
    :meth:`mean_squares` their mean squares per direction, and those of the difference to
    another decomposition of the same shape, by Parseval's theorem.

    Examples:
        >>> b, c = torch.randn(2, 3, 16, 15), torch.randn(2, 3, 16, 15)
        >>> lazy, other = DirectionalSubbands(b, 8), DirectionalSubbands(c, 8)
        >>> d = directional_split(b, 8) - directional_split(c, 8)
        >>> torch.allclose(lazy.mean_squares(other), d.pow(2).mean((0, 1, 3, 4)), atol=1e-6)
        True
    """

    def __init__(self, band: torch.Tensor, n_dirs: int) -> None:
        if band.dim() != 4:
            raise ValueError(f'directional sub-bands of a (B, C, H, W) band, got shape '
                             f'{tuple(band.shape)}')
        if n_dirs < 1:
            raise ValueError(f'n_dirs must be >= 1, got {n_dirs}')
        self.dtype, self.n_dirs = band.dtype, n_dirs
        self.compute_dtype = band.dtype if band.dtype in (torch.float32,
                                                          torch.float64) else torch.float32
        self.size = tuple(band.shape[-2:])
        self.spectrum = torch.fft.rfft2(band.to(self.compute_dtype))

    @property
    def shape(self) -> torch.Size:
        """The shape of the materialised sub-bands, (B, C, n_dirs, H, W)."""
        return torch.Size((*self.spectrum.shape[:2], self.n_dirs, *self.size))

    def detach(self) -> 'DirectionalSubbands':
        """The same sub-bands cut from the autograd graph."""
        out = object.__new__(DirectionalSubbands)
        out.__dict__.update(self.__dict__, spectrum=self.spectrum.detach())
        return out

    def materialize(self) -> torch.Tensor:
        """The sub-bands, (B, C, n_dirs, H, W), summing over directions to the band."""
        masks = _half_plane_masks(*self.size, self.n_dirs, str(self.spectrum.device),
                                  self.compute_dtype)
        return torch.fft.irfft2(self.spectrum.unsqueeze(2) * masks,
                                s=self.size).to(self.dtype)

    def mean_squares(self, minus: Optional['DirectionalSubbands'] = None) -> torch.Tensor:
        """(n_dirs,) mean over (B, C, H, W) of the squared sub-bands (of ``self - minus``)."""
        spectrum = self.spectrum
        if minus is not None:
            if minus.shape != self.shape:
                raise ValueError(f'sub-bands of shape {tuple(self.shape)} and '
                                 f'{tuple(minus.shape)} cannot be subtracted')
            spectrum = spectrum - minus.spectrum
        power = torch.view_as_real(spectrum).square().sum((0, 1, -1))  # (H, W // 2 + 1)
        weights = _parseval_weights(*self.size, self.n_dirs, str(spectrum.device),
                                    power.dtype)
        return (weights * power).sum((1, 2)) / (spectrum.shape[0] * spectrum.shape[1])


def directional_split(b: torch.Tensor, n_dirs: int) -> torch.Tensor:
    """Split (B, C, H, W) into (B, C, n_dirs, H, W) directional sub-bands summing to ``b``.

    Examples:
        >>> b = torch.randn(2, 3, 16, 16)
        >>> d = directional_split(b, 8)
        >>> d.shape, torch.allclose(d.sum(2), b, atol=1e-5)
        (torch.Size([2, 3, 8, 16, 16]), True)
    """
    return DirectionalSubbands(b, n_dirs).materialize()


def contourlet(x: torch.Tensor,
               levels: int,
               n_dirs: Union[int, Sequence[int]] = 8,
               filters: str = '9-7',
               mode: str = 'reflect',
               materialize: bool = True) -> Tuple[List[torch.Tensor], torch.Tensor]:
    """Contourlet decomposition: Laplacian pyramid, then directional split of each band-pass.

    Args:
        x: (B, C, H, W).
        levels: pyramid levels J.
        n_dirs: directions per level (an int for all, or one per level, finest first).
        filters, mode: as for :func:`~mmfreqkd.ops.laplacian_pyramid`.
        materialize: return the sub-bands as tensors; False returns every level as a
            :class:`DirectionalSubbands` (its spectrum only).

    Returns:
        ``([d_1, ..., d_J], a_J)`` with ``d_j`` of shape (B, C, n_dirs_j, H_j, W_j), finest
        first (or their :class:`DirectionalSubbands`), and the coarse approximation ``a_J``.
        ``x`` is exactly ``laplacian_reconstruct([d_j.sum(2) for d_j in ds] + [a_J])``.
    """
    dirs = [n_dirs] * levels if isinstance(n_dirs, int) else list(n_dirs)
    if len(dirs) != levels:
        raise ValueError(f'n_dirs gives {len(dirs)} values for {levels} levels')
    *bandpass, coarse = laplacian_pyramid(x, levels, filters, mode)
    split = [DirectionalSubbands(b, n) for b, n in zip(bandpass, dirs)]
    if materialize:
        split = [level.materialize() for level in split]
    return split, coarse
