"""2-D discrete wavelet transforms of feature maps, coefficient-for-coefficient equal to PyWavelets.

For ``x`` of shape (B, C, H, W), :func:`dwt2` / :func:`wavedec2` return, for every (b, c) slice,
the same coefficients in the same order and shapes as ``pywt.dwt2`` / ``pywt.wavedec2`` with the
same ``wavelet`` and ``mode``; :func:`idwt2` / :func:`waverec2` invert them like ``pywt.idwt2`` /
``pywt.waverec2``. Filters come from ``pywt.Wavelet`` (any discrete wavelet PyWavelets knows);
PyWavelets is not used for the arithmetic, which is batched torch code (autograd, CPU/CUDA).

Conventions, as in PyWavelets (``_extensions.c``, ``convolution.c``): a signal of length N is
extended by ``mode`` and convolved with the length-F decomposition filters, keeping every second
sample from index 1: ``a[o] = sum_j h[j] x_ext[2o + 1 - j]``, ``(N + F - 1) // 2`` outputs. Mode
``periodization`` instead wraps around (an odd N first repeats its last sample) and gives
``ceil(N / 2)`` outputs, ``a[o] = sum_j h[j] x[(2o + F/2 - j) mod N']``. The reconstruction
up-samples by zero insertion and convolves with the reconstruction filters, keeping
``2n - F + 2`` samples from index ``F - 2`` (circularly, from ``F/2 - 1``, for periodization).

Both directions are one strided (transposed) convolution per level with the four outer-product
kernels ``lo⊗lo, hi⊗lo, lo⊗hi, hi⊗hi``; the signal extension is an index gather (any mode, any
pad length, so 1x1 or 2x3 inputs work). Haar has a fast path (even sizes for the analysis, all
sizes for the synthesis): 2x2 butterflies on strided views, cache-tiled on CPUs (each direction
about 1.3-1.8 tensor copies), Triton kernels on GPUs (:mod:`._haar_triton`, about one copy), with
the other transform as the exact gradient (the transform is orthogonal); the four bands are
separate tensors, so the gradient needs no stack.

Reference: S. Mallat, "A theory for multiresolution signal decomposition: the wavelet
representation", IEEE TPAMI 11(7), 1989 (Eq. 28-30 for the 2-D separable filter bank).
"""
import functools
from typing import List, Optional, Sequence, Tuple, Union

import pywt
import torch
import torch.nn.functional as F

from . import _haar_triton
from ._extension import extend as _extend

__all__ = ['MODES', 'dwt2', 'idwt2', 'wavedec2', 'waverec2']

#: Signal-extension modes, with PyWavelets' meaning.
MODES = ('zero', 'constant', 'symmetric', 'reflect', 'periodic', 'periodization')

Details = Tuple[torch.Tensor, torch.Tensor, torch.Tensor]
WaveletLike = Union[str, pywt.Wavelet]


@functools.lru_cache(maxsize=None)
def _filters(name: str) -> Tuple[Tuple[float, ...], ...]:
    w = pywt.Wavelet(name)
    if len(w.dec_lo) % 2:
        raise ValueError(f'wavelet {name!r} has an odd filter length')
    return tuple(map(tuple, (w.dec_lo, w.dec_hi, w.rec_lo, w.rec_hi)))


def _wavelet_name(wavelet: WaveletLike) -> str:
    name = wavelet.name if isinstance(wavelet, pywt.Wavelet) else wavelet
    if name not in pywt.wavelist(kind='discrete'):
        raise ValueError(f'{name!r} is not a discrete wavelet of PyWavelets; choose one of '
                         f'pywt.wavelist(kind="discrete"), e.g. haar, db2, sym4, bior2.2')
    return name


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f'mode {mode!r} is not supported; choose one of {MODES}')


def _compute_dtype(x: torch.Tensor) -> torch.dtype:
    """Half precision inputs are transformed in float32 (sums of F^2 products)."""
    return x.dtype if x.dtype in (torch.float32, torch.float64) else torch.float32


def _kernels(filters: Sequence[Sequence[float]], dtype, device, flip: bool) -> torch.Tensor:
    """(4, 1, F, F) outer-product kernels [lo_h*lo_w, hi_h*lo_w, lo_h*hi_w, hi_h*hi_w]."""
    lo, hi = (torch.tensor(f, dtype=dtype, device=device) for f in filters)
    if flip:  # conv2d correlates; the filter bank convolves
        lo, hi = lo.flip(0), hi.flip(0)
    bank = torch.stack([torch.outer(a, b) for a, b in ((lo, lo), (hi, lo), (lo, hi), (hi, hi))])
    return bank.unsqueeze(1)


def _analysis_window(n: int, taps: int, mode: str) -> Tuple[int, int, int]:
    """(start, length, outputs) of the extended signal the stride-2 correlation reads."""
    if mode == 'periodization':
        outputs = (n + 1) // 2
        start = 1 - taps // 2
    else:
        outputs = (n + taps - 1) // 2
        start = 2 - taps
    return start, 2 * (outputs - 1) + taps, outputs


#: Bytes of input per tile of the CPU Haar butterflies: the temporaries of one tile stay in
#: cache, so each direction reads and writes memory about once instead of a dozen times (the
#: row loop is over fixed-size memory tiles, not over channels; one tile for small inputs).
HAAR_TILE_BYTES = 4 * 2**20


def _butterfly(p, q, r, s, outs) -> None:
    """Write ``(p+q+r+s)/2, (p+q-r-s)/2, (p-q+r-s)/2, (p-q-r+s)/2`` into the four ``outs``
    in eight elementwise ops (``lerp(p, q, 0.5) = (p+q)/2``, ``p - (p+q)/2 = (p-q)/2``)."""
    top, bottom = torch.lerp(p, q, 0.5), torch.lerp(r, s, 0.5)
    torch.add(top, bottom, out=outs[0])
    torch.sub(top, bottom, out=outs[1])
    left, right = torch.sub(p, top, out=top), torch.sub(r, bottom, out=bottom)
    torch.add(left, right, out=outs[2])
    torch.sub(left, right, out=outs[3])


def _tiles(rows: int, row_bytes: int):
    """Slices of at most :data:`HAAR_TILE_BYTES` covering ``rows`` rows of ``row_bytes``."""
    step = max(1, HAAR_TILE_BYTES // row_bytes)
    return (slice(i, i + step) for i in range(0, rows, step))


def _haar_analysis(x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
    """(N, 2h, 2w) -> four (N, h, w) bands cA, cH, cV, cD by 2x2 butterflies on strided views.

    With PyWavelets' Haar filters (dec_lo = [c, c], dec_hi = [-c, c], c^2 = 1/2), a block
    [[a, b], [c, d]] gives cA = (a+b+c+d)/2, cH = (a+b-c-d)/2, cV = (a-b+c-d)/2,
    cD = (a-b-c+d)/2, computed tile by tile of block rows into four preallocated tensors.
    """
    n, hh, ww = x.shape
    rows, w = n * (hh // 2), ww // 2
    v = x.view(rows, 2, w, 2)
    outs = tuple(x.new_empty(n, hh // 2, w) for _ in range(4))
    flat = [o.view(rows, w) for o in outs]
    for t in _tiles(rows, 2 * ww * x.element_size()):
        vt = v[t]
        _butterfly(vt[:, 0, :, 0], vt[:, 0, :, 1], vt[:, 1, :, 0], vt[:, 1, :, 1],
                   [o[t] for o in flat])
    return outs


def _haar_synthesis(ca, ch, cv, cd) -> torch.Tensor:
    """Inverse of :func:`_haar_analysis`: four (N, h, w) bands -> (N, 2h, 2w); the same
    butterfly (the 4x4 Haar matrix is its own inverse), written into the four pixels of each
    block, tile by tile."""
    n, h, w = ca.shape
    out = ca.new_empty(n * h, 2, w, 2)
    flat = [t.reshape(n * h, w) for t in (ca, ch, cv, cd)]
    for t in _tiles(n * h, 4 * w * ca.element_size()):
        o = out[t]
        _butterfly(*[b[t] for b in flat],
                   (o[:, 0, :, 0], o[:, 0, :, 1], o[:, 1, :, 0], o[:, 1, :, 1]))
    return out.view(n, 2 * h, 2 * w)


class _HaarTransform(torch.autograd.Function):
    """Haar analysis ``x -> (cA, cH, cV, cD)`` (one input) or synthesis of the four bands
    (four inputs). The transform is orthogonal, so the gradient of either is the other one
    applied to the gradient. The bands are four separate tensors (not views of one buffer), so
    the backward reads the four band gradients where they lie: no stack, no extra copy."""

    @staticmethod
    def forward(ctx, *tensors):
        ctx.inverse = len(tensors) == 4
        kernels = _haar_triton if tensors[0].is_cuda and _haar_triton.available() else None
        if ctx.inverse:
            return (kernels.haar_synthesis if kernels else _haar_synthesis)(*tensors)
        return (kernels.haar_analysis if kernels else _haar_analysis)(tensors[0])

    @staticmethod
    def backward(ctx, *grads):
        if ctx.inverse:
            return _HaarTransform.apply(grads[0].contiguous())
        return _HaarTransform.apply(*grads)


def _is_haar(name: str) -> bool:
    return name in ('haar', 'db1')


def dwt2(x: torch.Tensor,
         wavelet: WaveletLike = 'haar',
         mode: str = 'zero') -> Tuple[torch.Tensor, Details]:
    """Single-level 2-D DWT of every (b, c) slice, as ``pywt.dwt2(x, wavelet, mode)``.

    Args:
        x: (B, C, H, W) tensor.
        wavelet: a discrete wavelet name of PyWavelets (``'haar'``, ``'db2'``, ``'bior2.2'``...)
            or a ``pywt.Wavelet``.
        mode: signal extension, one of :data:`MODES`.

    Returns:
        ``(cA, (cH, cV, cD))``, each (B, C, h, w); cH holds the detail along H (horizontal
        edges), cV along W, cD along both. Half-precision inputs are computed in float32 and
        returned in their dtype.

    Examples:
        >>> x = torch.randn(2, 3, 9, 8)
        >>> cA, (cH, cV, cD) = dwt2(x, 'db2', 'symmetric')
        >>> cA.shape
        torch.Size([2, 3, 6, 5])
    """
    if x.dim() != 4:
        raise ValueError(f'dwt2 expects (B, C, H, W), got shape {tuple(x.shape)}')
    name = _wavelet_name(wavelet)
    _check_mode(mode)
    dec_lo, dec_hi, _, _ = _filters(name)
    taps = len(dec_lo)
    b, c, h, w = x.shape
    if mode == 'reflect' and min(h, w) < 2:
        raise ValueError(f'mode reflect needs H, W >= 2 (as in PyWavelets), got shape '
                         f'{tuple(x.shape)}')
    y = x.reshape(b * c, 1, h, w).to(_compute_dtype(x))
    if _is_haar(name) and h % 2 == 0 and w % 2 == 0:  # no extension is read: every mode agrees
        bands = _HaarTransform.apply(y.reshape(b * c, h, w).contiguous())
        ca, ch, cv, cd = (t.to(x.dtype).reshape(b, c, h // 2, w // 2) for t in bands)
        return ca, (ch, cv, cd)
    (sh, lh, _), (sw, lw, _) = _analysis_window(h, taps, mode), _analysis_window(w, taps, mode)
    y = _extend(_extend(y, 2, sh, lh, mode), 3, sw, lw, mode)
    bands = F.conv2d(y, _kernels((dec_lo, dec_hi), y.dtype, y.device, True), stride=2)
    # unbind (not four selects): its gradient is one stack instead of four zero-filled copies
    ca, ch, cv, cd = bands.to(x.dtype).reshape(b, c, 4, *bands.shape[-2:]).unbind(2)
    return ca, (ch, cv, cd)


def idwt2(coeffs: Tuple[Optional[torch.Tensor], Details],
          wavelet: WaveletLike = 'haar',
          mode: str = 'zero') -> torch.Tensor:
    """Single-level inverse 2-D DWT, as ``pywt.idwt2(coeffs, wavelet, mode)``.

    Args:
        coeffs: ``(cA, (cH, cV, cD))`` of equal shapes (B, C, h, w); ``cA`` may be None
            (treated as zeros, like PyWavelets).
        wavelet: as for :func:`dwt2`.
        mode: as for :func:`dwt2`.

    Returns:
        (B, C, H, W) with ``H = 2h - F + 2`` (``2h`` for periodization), F the filter length.
    """
    name = _wavelet_name(wavelet)
    _check_mode(mode)
    ca, (ch, cv, cd) = coeffs
    if ca is None:
        ca = torch.zeros_like(ch)
    shapes = {tuple(t.shape) for t in (ca, ch, cv, cd)}
    if len(shapes) != 1 or ca.dim() != 4:
        raise ValueError(f'idwt2 needs four (B, C, h, w) bands of one shape, got {sorted(shapes)}')
    _, _, rec_lo, rec_hi = _filters(name)
    taps = len(rec_lo)
    b, c, h, w = ca.shape
    dtype = _compute_dtype(ca)
    if _is_haar(name):  # 2h x 2w in every mode; the bands are read in place (no stack)
        flat = [t.reshape(b * c, h, w).to(dtype) for t in (ca, ch, cv, cd)]
        return _HaarTransform.apply(*flat).to(ca.dtype).reshape(b, c, 2 * h, 2 * w)
    y = torch.stack([ca, ch, cv, cd], 2).reshape(b * c, 4, h, w).to(dtype)
    kernel = _kernels((rec_lo, rec_hi), dtype, y.device, False)  # (in=4, out=1, F, F)
    if mode == 'periodization':
        # wrap the coefficients so the transposed convolution sees the periodic neighbours
        k = taps // 4 + 1
        y = _extend(_extend(y, 2, -k, h + 2 * k, 'periodic'), 3, -k, w + 2 * k, 'periodic')
        full = F.conv_transpose2d(y, kernel, stride=2)
        off = 2 * k + taps // 2 - 1
        out = full[..., off:off + 2 * h, off:off + 2 * w]
    else:
        full = F.conv_transpose2d(y, kernel, stride=2)
        out = full[..., taps - 2:2 * h, taps - 2:2 * w]
    return out.to(ca.dtype).reshape(b, c, *out.shape[-2:])


def wavedec2(x: torch.Tensor,
             wavelet: WaveletLike = 'haar',
             level: int = 1,
             mode: str = 'zero') -> List[Union[torch.Tensor, Details]]:
    """Multi-level 2-D DWT, as ``pywt.wavedec2(x, wavelet, mode, level)``.

    Returns:
        ``[cA_n, (cH_n, cV_n, cD_n), ..., (cH_1, cV_1, cD_1)]``, coarsest first.

    Examples:
        >>> coeffs = wavedec2(torch.randn(1, 4, 32, 32), 'sym4', level=2, mode='periodization')
        >>> [tuple(coeffs[0].shape), tuple(coeffs[1][0].shape), tuple(coeffs[2][0].shape)]
        [(1, 4, 8, 8), (1, 4, 8, 8), (1, 4, 16, 16)]
    """
    if level < 1:
        raise ValueError(f'level must be >= 1, got {level}')
    details: List[Details] = []
    approx = x
    for _ in range(level):
        approx, detail = dwt2(approx, wavelet, mode)
        details.append(detail)
    return [approx, *reversed(details)]


def waverec2(coeffs: Sequence[Union[torch.Tensor, Details]],
             wavelet: WaveletLike = 'haar',
             mode: str = 'zero',
             size: Optional[Tuple[int, int]] = None) -> torch.Tensor:
    """Multi-level inverse 2-D DWT, as ``pywt.waverec2(coeffs, wavelet, mode)``.

    Args:
        coeffs: as returned by :func:`wavedec2`.
        wavelet, mode: as for :func:`dwt2`.
        size: (H, W) to crop the result to (the input size of :func:`wavedec2`; PyWavelets
            returns the padded size for odd inputs).
    """
    if len(coeffs) < 2:
        raise ValueError('waverec2 needs an approximation and at least one detail level')
    approx = coeffs[0]
    for detail in coeffs[1:]:
        # like PyWavelets: an approximation one sample larger than its details is cropped
        approx = approx[..., :detail[0].shape[-2], :detail[0].shape[-1]]
        approx = idwt2((approx, tuple(detail)), wavelet, mode)
    if size is not None:
        approx = approx[..., :size[0], :size[1]]
    return approx


def high_frequency_map(x: torch.Tensor, wavelet: WaveletLike = 'haar',
                       mode: str = 'zero') -> torch.Tensor:
    """DS2D2's high-frequency map (Gao et al., TGRS 2025, Sec. III-C; docs/methods/ds2d2.md,
    Spectral decomposition): the sum of the three detail bands of one ``dwt2``, resized
    bilinearly (``align_corners=False``) back to the input's size, so an unmodified detection
    head can consume it.

    Examples:
        >>> high_frequency_map(torch.randn(2, 4, 9, 12)).shape
        torch.Size([2, 4, 9, 12])
    """
    _, (ch, cv, cd) = dwt2(x, wavelet, mode)
    return F.interpolate(ch + cv + cd, size=x.shape[-2:], mode='bilinear', align_corners=False)
