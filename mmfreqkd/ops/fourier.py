"""Fourier-domain helpers: Gaussian low-pass masks, radial spectra, wavelet band energies."""
from typing import List, Sequence, Union

import torch

__all__ = ['gaussian_lowpass_mask', 'radial_profile', 'band_energy']


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


def radial_profile(spectrum: torch.Tensor) -> torch.Tensor:
    """Sum a (..., H, W) spectrum (FFT layout) over rings of equal radial frequency.

    The radius of frequency (fy, fx) in cycles per pixel is ``sqrt(fy^2 + fx^2)``; ring ``r``
    collects radii in ``[(r - 1/2) / L, (r + 1/2) / L)`` with ``L = max(H, W)``, so ring r is
    "r cycles per image side". Returns (..., R), R covering up to the corner frequency; the
    rings sum to the whole spectrum.

    Examples:
        >>> power = torch.fft.fft2(torch.randn(4, 32, 32)).abs()**2
        >>> prof = radial_profile(power)
        >>> prof.shape, torch.allclose(prof.sum(-1), power.sum((-2, -1)))
        (torch.Size([4, 24]), True)
    """
    h, w = spectrum.shape[-2:]
    side = max(h, w)
    fy = torch.fft.fftfreq(h, device=spectrum.device, dtype=torch.float64)[:, None]
    fx = torch.fft.fftfreq(w, device=spectrum.device, dtype=torch.float64)[None, :]
    ring = torch.round(torch.sqrt(fy**2 + fx**2) * side).long().reshape(-1)
    n_rings = int(ring.max()) + 1
    flat = spectrum.reshape(*spectrum.shape[:-2], h * w)
    out = flat.new_zeros(*flat.shape[:-1], n_rings)
    return out.index_add(-1, ring, flat)


def band_energy(coeffs: Sequence[Union[torch.Tensor, Sequence[torch.Tensor]]]) -> List:
    """Energy (sum of squares over H, W) of every band of a :func:`wavedec2` result.

    Returns the same nesting, each band replaced by a (B, C) tensor. For an orthogonal wavelet
    in ``periodization`` mode the energies add up to the input's (Parseval).
    """
    def energy(t):
        return t.pow(2).sum((-2, -1))
    return [energy(coeffs[0]), *[tuple(energy(t) for t in level) for level in coeffs[1:]]]
