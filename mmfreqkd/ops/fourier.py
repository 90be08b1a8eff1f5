"""Fourier-domain helpers: Gaussian low-pass masks, radial spectra, ideal low-pass
down-sampling, wavelet band energies."""
import math
from typing import List, Optional, Sequence, Tuple, Union

import torch

__all__ = ['gaussian_lowpass_mask', 'radial_profile', 'radial_frequencies',
           'spectral_downsample', 'band_energy']


def _integer_freqs(h: int, w: int, device=None):
    """Frequencies in cycles per feature size (integers, FFT layout)."""
    fy = torch.fft.fftfreq(h, d=1.0 / h, device=device, dtype=torch.float64)[:, None]
    fx = torch.fft.fftfreq(w, d=1.0 / w, device=device, dtype=torch.float64)[None, :]
    return fy, fx


def gaussian_lowpass_mask(h: int, w: int, sigma: float, shifted: bool = False, device=None,
                          dtype=torch.float32) -> torch.Tensor:
    """``G(u, v) = exp(-(u^2 + v^2) / (2 sigma^2))``, u, v in cycles per feature size.

    The SFKD Gaussian-filtered frequency loss weights ``|FFT(F_s) - FFT(F_t)|`` by this mask
    (SFKD's frequency loss, default ``sigma = 0.25 * min(H, W)``).

    Args:
        h, w: spectrum size.
        sigma: standard deviation in cycles per feature size.
        shifted: centre DC (the ``fftshift`` layout) instead of FFT layout (DC at [0, 0]).
    """
    if sigma <= 0:
        raise ValueError(f'sigma must be > 0, got {sigma}')
    fy, fx = _integer_freqs(h, w, device)
    mask = torch.exp(-(fy**2 + fx**2) / (2.0 * sigma**2))
    if shifted:
        mask = torch.fft.fftshift(mask)
    return mask.to(dtype)


def radial_profile(spectrum: torch.Tensor, bin_width: Optional[float] = None) -> torch.Tensor:
    """Sum a (..., H, W) spectrum (FFT layout) over rings of equal radial frequency.

    The radius of frequency (fy, fx) in cycles per pixel is ``sqrt(fy^2 + fx^2)``; ring ``r``
    collects radii in ``[(r - 1/2) * bin_width, (r + 1/2) * bin_width)``. By default
    ``bin_width = 1 / max(H, W)``, so ring r is "r cycles per image side" and R covers up to the
    grid's corner frequency. With a given ``bin_width`` (cycles per pixel) the ring count is
    ``round(sqrt(1/2) / bin_width) + 1`` for every grid size, so profiles of images of
    different sizes add up ring by ring. The rings sum to the whole spectrum.

    Examples:
        >>> power = torch.fft.fft2(torch.randn(4, 32, 32)).abs()**2
        >>> prof = radial_profile(power)
        >>> prof.shape, torch.allclose(prof.sum(-1), power.sum((-2, -1)))
        (torch.Size([4, 24]), True)
        >>> radial_profile(power, bin_width=1 / 64).shape
        torch.Size([4, 46])
    """
    h, w = spectrum.shape[-2:]
    width = 1.0 / max(h, w) if bin_width is None else bin_width
    if width <= 0:
        raise ValueError(f'bin_width must be > 0, got {bin_width}')
    radius = torch.sqrt(radial_frequencies(h, w, spectrum.device))
    ring = torch.round(radius / width).long().reshape(-1)
    n_rings = int(ring.max()) + 1 if bin_width is None else round(math.sqrt(0.5) / width) + 1
    flat = spectrum.reshape(*spectrum.shape[:-2], h * w)
    out = flat.new_zeros(*flat.shape[:-1], n_rings)
    return out.index_add(-1, ring, flat)


def radial_frequencies(h: int, w: int, device=None) -> torch.Tensor:
    """(H, W) squared radial frequency ``fy^2 + fx^2`` in cycles per pixel, FFT layout."""
    fy = torch.fft.fftfreq(h, device=device, dtype=torch.float64)[:, None]
    fx = torch.fft.fftfreq(w, device=device, dtype=torch.float64)[None, :]
    return fy**2 + fx**2


def spectral_downsample(x: torch.Tensor, size: Tuple[int, int]) -> torch.Tensor:
    """Ideal low-pass and exact down-sampling of (..., H, W) to ``size`` (h <= H, w <= W).

    Zeroes every frequency of ``fft2(x)`` above the coarser grid's Nyquist frequency (per axis
    ``|k| > h / 2``; for an even ``h`` both ``+h/2`` and ``-h/2`` are kept and fold onto the
    coarse Nyquist bin, so the result is real) and samples the result on the coarser grid,
    i.e. inverts the kept frequencies there, scaled so the mean is kept. A signal whose
    spectrum lies inside that band is sampled exactly at the coarser grid's points
    ``x * H / h``.

    Examples:
        >>> t = torch.arange(32.)
        >>> x = torch.cos(2 * math.pi * 3 * t / 32)[None].expand(32, 32)
        >>> small = spectral_downsample(x, (16, 16))
        >>> torch.allclose(small, x[::2, ::2], atol=1e-5)
        True
    """
    h, w = size
    big_h, big_w = x.shape[-2:]
    if not (0 < h <= big_h and 0 < w <= big_w):
        raise ValueError(f'spectral_downsample: size {tuple(size)} must lie within the input '
                         f'size {(big_h, big_w)}')
    if (h, w) == (big_h, big_w):
        return x
    dtype = x.dtype if x.dtype in (torch.float32, torch.float64) else torch.float32
    spectrum = torch.fft.fft2(x.to(dtype))
    kept = _crop_axis(_crop_axis(spectrum, h, -2), w, -1)
    return (torch.fft.ifft2(kept).real * (h * w / (big_h * big_w))).to(x.dtype)


def _crop_axis(spectrum: torch.Tensor, n: int, dim: int) -> torch.Tensor:
    """The n lowest frequencies of one FFT-layout axis; for even n the output's Nyquist bin is
    the sum of its two aliases +n/2 and -n/2 in the input (sampling folds them together)."""
    big = spectrum.shape[dim]
    if n == big:
        return spectrum
    low = spectrum.narrow(dim, 0, (n + 1) // 2)
    high = spectrum.narrow(dim, big - n // 2, n // 2)
    if n % 2 == 0:
        nyquist = spectrum.narrow(dim, n // 2, 1) + spectrum.narrow(dim, big - n // 2, 1)
        high = torch.cat([nyquist, high.narrow(dim, 1, n // 2 - 1)], dim)
    return torch.cat([low, high], dim)


def band_energy(coeffs: Sequence[Union[torch.Tensor, Sequence[torch.Tensor]]]) -> List:
    """Energy (sum of squares over H, W) of every band of a :func:`wavedec2` result.

    Returns the same nesting, each band replaced by a (B, C) tensor. For an orthogonal wavelet
    in ``periodization`` mode the energies add up to the input's (Parseval).
    """
    def energy(t):
        return t.pow(2).sum((-2, -1))
    return [energy(coeffs[0]), *[tuple(energy(t) for t in level) for level in coeffs[1:]]]
