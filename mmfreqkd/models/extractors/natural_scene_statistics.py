"""Natural-scene statistics of BRISQUE (Mittal, Moorthy and Bovik, "No-Reference Image Quality
Assessment in the Spatial Domain", IEEE TIP 2012), differentiable, for SLKD's degradation-removal
feature loss L_NC (docs/methods/slkd.md).

BRISQUE normalises an image into its mean-subtracted contrast-normalised (MSCN) coefficients
(paper eq. 1-3), fits a generalised Gaussian (GGD, eq. 4) to them and an asymmetric generalised
Gaussian (AGGD, eq. 5-8) to the products of each coefficient with its right, lower and two
diagonal neighbours (eq. 9-12): 18 numbers per scale, 36 over two scales.

The shape parameters are found as in the reference implementations, by matching a moment ratio
against a table of shapes 0.2, 0.201, ..., 10; the table lookup itself has no gradient, so the
returned shape carries the gradient of the exact root (implicit function theorem: d(shape) =
d(ratio) / r'(shape)) while its value stays the table's.
"""
import functools
from typing import Tuple

import torch
import torch.nn.functional as F

__all__ = ['gaussian_window', 'mscn', 'paired_products', 'ggd_fit', 'aggd_fit',
           'brisque_features', 'PAIR_SHIFTS']

#: The neighbour of each paired product (rows, columns): horizontal, vertical, main diagonal,
#: secondary diagonal (BRISQUE eq. 9-12).
PAIR_SHIFTS: Tuple[Tuple[int, int], ...] = ((0, 1), (1, 0), (1, 1), (-1, 1))

_SHAPES = (0.2, 10.0, 0.001)  # the shape table: first, last, step


def gaussian_window(size: int = 7, sigma: float = 7 / 6, dtype=torch.float64,
                    device=None) -> torch.Tensor:
    """The ``size x size`` circular Gaussian weights (sum 1) of BRISQUE's local mean."""
    if size % 2 != 1:
        raise ValueError(f'the Gaussian window size must be odd, got {size}')
    x = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2
    g = torch.exp(-x ** 2 / (2 * sigma ** 2))
    g = g / g.sum()
    return g[:, None] * g[None, :]


def _local_filter(x: torch.Tensor, window: torch.Tensor, border: str) -> torch.Tensor:
    b, c, h, w = x.shape
    pad = window.shape[-1] // 2
    flat = x.reshape(b * c, 1, h, w)
    if border == 'replicate':
        flat = F.pad(flat, (pad, pad, pad, pad), mode='replicate')
        pad = 0
    elif border != 'zeros':
        raise ValueError(f"border must be 'replicate' or 'zeros', got {border!r}")
    return F.conv2d(flat, window[None, None], padding=pad).reshape(b, c, h, w)


def mscn(x: torch.Tensor, c: float = 1.0, window_size: int = 7, sigma: float = 7 / 6,
         border: str = 'replicate', eps: float = 1e-10) -> torch.Tensor:
    """MSCN coefficients ``(I - mu) / (s + c)`` of each channel (BRISQUE eq. 1-3).

    Args:
        x: (B, C, H, W) intensities, BRISQUE's scale is [0, 255] (then ``c = 1``).
        c: the stabilising constant.
        window_size, sigma: the Gaussian window of the local mean and deviation.
        border: ``'replicate'`` (BRISQUE's and PIQE's reference code) or ``'zeros'``.
        eps: the local variance is clamped at ``eps`` before the square root, whose gradient
            is infinite at 0 (flat regions).
    """
    window = gaussian_window(window_size, sigma, x.dtype, x.device)
    mu = _local_filter(x, window, border)
    var = (_local_filter(x * x, window, border) - mu * mu).abs()
    return (x - mu) / (var.clamp_min(eps).sqrt() + c)


def paired_products(m: torch.Tensor, circular: bool = False) -> Tuple[torch.Tensor, ...]:
    """The four products of each MSCN coefficient with a neighbour (:data:`PAIR_SHIFTS`).

    Args:
        m: (B, C, H, W) MSCN coefficients.
        circular: wrap around the borders (every map keeps H x W, as piq computes them);
            ``False`` keeps only the pairs inside the image, as the BRISQUE reference code.
    """
    if circular:
        return tuple(m * torch.roll(m, shifts=s, dims=(-2, -1)) for s in PAIR_SHIFTS)
    h, w = m.shape[-2:]
    products = []
    for dy, dx in PAIR_SHIFTS:
        # pixel (i, j) times pixel (i - dy, j - dx), both inside the image
        rows = slice(max(dy, 0), h + min(dy, 0))
        rows_n = slice(max(-dy, 0), h - max(dy, 0))
        products.append(m[..., rows, dx:] * m[..., rows_n, :w - dx])
    return tuple(products)


@functools.lru_cache(maxsize=None)
def _shape_table(dtype, device) -> Tuple[torch.Tensor, torch.Tensor]:
    """The shape table and each shape's GGD moment ratio (computed once per dtype/device)."""
    first, last, step = _SHAPES
    shapes = torch.arange(first, last + step, step, dtype=dtype, device=device)
    return shapes, _ggd_ratio(shapes)


def _ggd_ratio(shape: torch.Tensor) -> torch.Tensor:
    """``Gamma(1/a) Gamma(3/a) / Gamma(2/a)^2``: ``E[x^2] / E[|x|]^2`` of a GGD of shape ``a``."""
    return torch.exp(torch.lgamma(1 / shape) + torch.lgamma(3 / shape)
                     - 2 * torch.lgamma(2 / shape))


def _ggd_ratio_log_slope(shape: torch.Tensor) -> torch.Tensor:
    """``d log(ratio) / d shape`` of :func:`_ggd_ratio`."""
    return (-torch.digamma(1 / shape) - 3 * torch.digamma(3 / shape)
            + 4 * torch.digamma(2 / shape)) / shape ** 2


def _solve_shape(target: torch.Tensor, inverse: bool) -> torch.Tensor:
    """The table shape whose moment ratio is closest to ``target`` (the GGD ratio, or its
    inverse with ``inverse=True``), carrying the root's gradient w.r.t. ``target``."""
    table, ratios = _shape_table(target.dtype, target.device)
    if inverse:
        ratios = 1 / ratios
    index = (target.detach()[..., None] - ratios).abs().argmin(dim=-1)
    shape = table[index]
    ratio = ratios[index]
    # d ratio / d shape at the table point; for the inverse ratio the log-slope changes sign
    slope = ratio * _ggd_ratio_log_slope(shape) * (-1 if inverse else 1)
    return shape + (target - target.detach()) / slope


def ggd_fit(x: torch.Tensor, eps: float = 1e-12) -> Tuple[torch.Tensor, torch.Tensor]:
    """Zero-mean GGD fit of each (B, C) map by moment matching (BRISQUE eq. 4).

    Returns:
        ``(shape, variance)``, each (B, C).
    """
    variance = x.pow(2).mean(dim=(-2, -1))
    mean_abs = x.abs().mean(dim=(-2, -1))
    return _solve_shape(variance / mean_abs.pow(2).clamp_min(eps), inverse=False), variance


def aggd_fit(x: torch.Tensor, eps: float = 1e-12
             ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """AGGD fit of each (B, C) map of paired products (BRISQUE eq. 5-8, Lasmar et al. 2009).

    Returns:
        ``(shape, mean, left variance, right variance)``, each (B, C); the mean is
        ``(sigma_r - sigma_l) Gamma(2/a) / sqrt(Gamma(1/a) Gamma(3/a))``.
    """
    dims = (-2, -1)
    left, right = (x < 0).to(x.dtype), (x > 0).to(x.dtype)
    left_var = (x.pow(2) * left).sum(dim=dims) / left.sum(dim=dims).clamp_min(1)
    right_var = (x.pow(2) * right).sum(dim=dims) / right.sum(dim=dims).clamp_min(1)
    left_sigma, right_sigma = left_var.clamp_min(eps).sqrt(), right_var.clamp_min(eps).sqrt()
    gamma_hat = left_sigma / right_sigma
    rho = x.abs().mean(dim=dims).pow(2) / x.pow(2).mean(dim=dims).clamp_min(eps)
    rho_norm = rho * (gamma_hat.pow(3) + 1) * (gamma_hat + 1) / (gamma_hat.pow(2) + 1).pow(2)
    shape = _solve_shape(rho_norm, inverse=True)
    mean = (right_sigma - left_sigma) * torch.exp(
        torch.lgamma(2 / shape) - (torch.lgamma(1 / shape) + torch.lgamma(3 / shape)) / 2)
    return shape, mean, left_var, right_var


def brisque_features(x: torch.Tensor, scales: int = 2, c: float = 1.0,
                     border: str = 'replicate', circular: bool = False,
                     downsample: str = 'bicubic') -> torch.Tensor:
    """BRISQUE's feature vector of every channel: per scale, the GGD shape and variance of the
    MSCN map, then shape, mean, left and right variance of the AGGD of each paired product.

    Args:
        x: (B, C, H, W) intensities in [0, 255] (for ``c = 1``); each channel is scored alone.
        scales: the number of scales, each half the size of the previous one (BRISQUE: 2).
        c, border: see :func:`mscn`.
        circular: see :func:`paired_products`.
        downsample: ``'bicubic'`` (antialiased, as MATLAB's ``imresize(I, 0.5)``) or
            ``'area'`` (2x2 means).

    Returns:
        (B, C, 18 * scales).
    """
    if x.dim() != 4:
        raise ValueError(f'brisque_features expects (B, C, H, W), got shape {tuple(x.shape)}')
    features = []
    for scale in range(scales):
        if scale:
            size = [s // 2 for s in x.shape[-2:]]
            if min(size) < 7:
                raise ValueError(f'BRISQUE scale {scale + 1} of a {tuple(x.shape[-2:])} map is '
                                 f'{size}, smaller than its 7x7 window: use fewer scales')
            x = (F.interpolate(x, size=size, mode='bicubic', antialias=True,
                               align_corners=False) if downsample == 'bicubic'
                 else F.adaptive_avg_pool2d(x, size))
        m = mscn(x, c=c, border=border)
        shape, variance = ggd_fit(m)
        features += [shape, variance]
        for product in paired_products(m, circular=circular):
            features += list(aggd_fit(product))
    return torch.stack(features, dim=-1)
