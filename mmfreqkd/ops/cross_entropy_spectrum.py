"""The cross-entropy of a segmentation as a sum over 2-D frequencies (Parseval).

Chen, Chiu and Wu, "Spectral Analysis for Semantic Segmentation" (arXiv 2012.14123;
docs/methods/spectral.md). For one-hot labels ``y_c`` and log-probabilities ``log p_c`` on an
H x W grid, with the unitary DFT (``Y_c = DFT(y_c)``, ``L_c = DFT(log p_c)``), Parseval's theorem
gives

    CE = -(1/M) sum_c sum_x y_c(x) log p_c(x) = sum_k l(k),
    l(k) = -(1/M) sum_c Re[Y_c(k) conj(L_c(k))],

``M`` the number of labelled pixels (``F.cross_entropy``'s mean). Ignored pixels are set to zero
in both ``y`` and ``log p`` before the transforms, so they contribute at no frequency.
"""
from typing import Dict, Sequence

import torch
import torch.nn.functional as F

__all__ = ['cross_entropy_spectrum', 'label_spectrum', 'cutoff_frequencies']


def _masked_one_hot(labels: torch.Tensor, num_classes: int, ignore_index: int,
                    dtype: torch.dtype) -> torch.Tensor:
    """(B, C, H, W) one-hot labels, all zero where ``labels == ignore_index``."""
    if labels.dim() != 3:
        raise ValueError(f'labels must be (B, H, W), got shape {tuple(labels.shape)}')
    valid = labels != ignore_index
    bad = valid & ((labels < 0) | (labels >= num_classes))
    if bad.any():
        raise ValueError(f'labels hold values outside [0, {num_classes}) other than '
                         f'ignore_index={ignore_index}: {sorted(labels[bad].unique().tolist())}')
    one_hot = F.one_hot(torch.where(valid, labels, 0).long(), num_classes)
    return (one_hot * valid[..., None]).permute(0, 3, 1, 2).to(dtype)


def cross_entropy_spectrum(logits: torch.Tensor, labels: torch.Tensor,
                           ignore_index: int = 255) -> torch.Tensor:
    """Per-frequency contributions ``l(k)`` to the cross-entropy of ``logits`` vs ``labels``.

    Args:
        logits: (B, C, H, W), on the labels' grid.
        labels: (B, H, W) class indices, ``ignore_index`` for unlabelled pixels.
        ignore_index: the unlabelled value.

    Returns:
        (B, H, W) real contributions in FFT layout (DC at [0, 0]), in the logits' dtype
        (float32 or wider). Their sum over everything is
        ``F.cross_entropy(logits, labels, ignore_index=ignore_index)``; single frequencies
        may contribute negatively.

    Examples:
        >>> logits, labels = torch.randn(2, 4, 16, 16), torch.randint(0, 4, (2, 16, 16))
        >>> contrib = cross_entropy_spectrum(logits, labels)
        >>> torch.allclose(contrib.sum(), F.cross_entropy(logits, labels), atol=1e-5)
        True
    """
    if logits.dim() != 4 or logits.shape[-2:] != labels.shape[-2:] or \
            logits.shape[0] != labels.shape[0]:
        raise ValueError(f'logits (B, C, H, W) and labels (B, H, W) on one grid expected, got '
                         f'{tuple(logits.shape)} and {tuple(labels.shape)}')
    dtype = logits.dtype if logits.dtype == torch.float64 else torch.float32
    y = _masked_one_hot(labels, logits.shape[1], ignore_index, dtype)
    log_p = F.log_softmax(logits.to(dtype), dim=1) * (labels != ignore_index)[:, None]
    n_valid = (labels != ignore_index).sum().clamp_min(1)
    y_hat = torch.fft.fft2(y, norm='ortho')
    log_p_hat = torch.fft.fft2(log_p, norm='ortho')
    return -(y_hat * log_p_hat.conj()).real.sum(1) / n_valid


def label_spectrum(labels: torch.Tensor, num_classes: int,
                   ignore_index: int = 255) -> torch.Tensor:
    """Power spectrum of the one-hot label maps, ``sum_c |Y_c(k)|^2`` (unitary DFT), (B, H, W)
    in FFT layout; by Parseval each image's total is its number of labelled pixels."""
    y = _masked_one_hot(labels, num_classes, ignore_index, torch.float64)
    return torch.fft.fft2(y, norm='ortho').abs().square().sum(1)


def cutoff_frequencies(profile: torch.Tensor, frequencies: torch.Tensor,
                       fractions: Sequence[float] = (0.9, 0.95, 0.99)) -> Dict[float, float]:
    """The lowest frequency from which on the cumulative radial profile stays within
    ``(1 - fraction)`` of its total.

    For the cross-entropy the per-ring contributions have both signs: the DC term alone
    typically exceeds the CE (``-mean(y_c) * mean(log p_c)`` with ``log p_c`` very negative
    where class c is absent) and higher frequencies, where labels and log-probabilities
    correlate, bring it down. The truncated loss ``CE_r`` (rings up to r) approximates CE to a
    relative error ``1 - fraction`` from the cut-off on. For a non-negative profile (an energy)
    this is the frequency below which ``fraction`` of the energy lies.

    Args:
        profile: (R,) contributions per ring, lowest frequency first.
        frequencies: (R,) the rings' frequencies.
        fractions: the fractions (1 - the relative error allowed).

    Returns:
        ``{fraction: frequency}``: the smallest ring frequency ``f_r`` such that
        ``|cumsum_r' - total| <= (1 - fraction) |total|`` for every ring ``r' >= r``.

    Examples:
        >>> cutoff_frequencies(torch.tensor([6., 3.5, .5]), torch.tensor([0., .25, .5]), [0.9])
        {0.9: 0.25}
        >>> cutoff_frequencies(torch.tensor([2., -.6, -.4]), torch.tensor([0., .25, .5]),
        ...                    [0.5, 0.9])
        {0.5: 0.25, 0.9: 0.5}
    """
    cumulative = profile.double().cumsum(0)
    total = cumulative[-1]
    out = {}
    for fraction in fractions:
        outside = ((cumulative - total).abs() > (1 - fraction) * total.abs()).nonzero()
        index = int(outside[-1]) + 1 if len(outside) else 0
        out[fraction] = float(frequencies[min(index, len(frequencies) - 1)])
    return out
