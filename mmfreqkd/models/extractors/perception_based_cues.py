"""PIQE's block cues (Venkatanath N et al., "Blind Image Quality Evaluation Using Perception Based
Features", NCC 2015), differentiable, for SLKD's image-reconstruction feature loss L_ET
(docs/methods/slkd.md).

PIQE splits the MSCN map of an image into 16x16 blocks. A block whose variance exceeds 0.1 is
*active* (salient); an active block shows a *noticeable artefact* when some 6-pixel segment of
its border is nearly flat (standard deviation below 0.1: blockiness, a sudden edge) and *noise*
when its standard deviation exceeds twice the mismatch ``beta`` between it and the ratio of the
deviations of its two centre columns and the rest (paper eq. 6-8). The score (eq. 9) is
``100 (sum_active [artefact (1 - v) + noise v] + 1) / (number of active blocks + 1)``.

With ``hard=True`` the thresholds are steps and :func:`piqe_cues` reproduces the reference
algorithm (MATLAB's ``piqe``, as ported by the ``pypiqe`` package, including its surround: the
block without the centre column and the column after the other centre column). The soft version
replaces each step by a sigmoid so that gradients flow; the mean absolute Sobel response of each
block's MSCN map is added as a dense edge/texture cue (ours).

The activity and artefact thresholds bound positive quantities (a variance, a standard
deviation) that spread over decades: block variances of natural photographs run from 0.002 to
0.6 and exceed 1 on the image-like maps SLKD compares. Their soft steps are therefore sigmoids of
the log-ratio to the threshold, ``sigmoid(log(v / 0.1) / t)`` (``= v^(1/t) / (v^(1/t) +
0.1^(1/t))``), unsaturated over ``0.1 e^(+-4.6 t)``; a sigmoid of the difference ``(v - 0.1) /
0.02`` is 1 to float precision for every block above 0.8 and carries no gradient there. The noise
cue compares two quantities of the same scale and keeps a sigmoid of their difference.
"""
import math
from typing import Dict

import torch
import torch.nn.functional as F

from .natural_scene_statistics import mscn

__all__ = ['piqe_cues', 'piqe_score', 'BLOCK']

#: PIQE's block size, border segment length and thresholds (paper section 3).
BLOCK, SEGMENT = 16, 6
ACTIVITY_THRESHOLD, IMPAIRED_THRESHOLD = 0.1, 0.1


def _std(x: torch.Tensor, dim, eps: float = 1e-12) -> torch.Tensor:
    """Sample standard deviation (``n - 1``) with a finite gradient where it is 0."""
    return x.var(dim=dim, correction=1).clamp_min(eps).sqrt()


def _symmetric_pad(x: torch.Tensor) -> torch.Tensor:
    """Pad bottom and right to a multiple of :data:`BLOCK` by mirroring with the edge repeated
    (MATLAB's ``padarray(..., 'symmetric', 'post')``)."""
    h, w = x.shape[-2:]
    ph, pw = -h % BLOCK, -w % BLOCK
    if ph > h or pw > w:
        raise ValueError(f'PIQE needs images of at least {BLOCK // 2} pixels a side, got {h}x{w}')
    if ph:
        x = torch.cat([x, x[..., h - ph:, :].flip(-2)], dim=-2)
    if pw:
        x = torch.cat([x, x[..., :, w - pw:].flip(-1)], dim=-1)
    return x


def _sobel_magnitude(m: torch.Tensor) -> torch.Tensor:
    kx = torch.tensor([[-1., 0., 1.], [-2., 0., 2.], [-1., 0., 1.]], dtype=m.dtype,
                      device=m.device)
    kernels = torch.stack([kx, kx.t()])[:, None]
    b, c, h, w = m.shape
    g = F.conv2d(F.pad(m.reshape(b * c, 1, h, w), (1, 1, 1, 1), mode='replicate'), kernels)
    return g.abs().sum(dim=1).reshape(b, c, h, w)


def _soft_above(value: torch.Tensor, threshold: float, temperature: float) -> torch.Tensor:
    """``sigmoid(log(value / threshold) / temperature)``: the step ``value > threshold`` as the
    temperature goes to 0, for positive values of any scale."""
    return torch.sigmoid((value.clamp_min(1e-12).log() - math.log(threshold)) / temperature)


def piqe_cues(x: torch.Tensor, hard: bool = False, activity_temperature: float = 1.0,
              artefact_temperature: float = 1.0, noise_temperature: float = 0.05
              ) -> Dict[str, torch.Tensor]:
    """PIQE's per-block quantities of every channel.

    Args:
        x: (B, C, H, W) intensities in [0, 255]; each channel is one grey image.
        hard: step thresholds (the reference algorithm) instead of sigmoids.
        activity_temperature, artefact_temperature: the widths of the activity and artefact
            sigmoids, in units of the log-ratio to the threshold ([our default] 1: a block's
            cue is unsaturated from 1/100 to 100 times the threshold).
        noise_temperature: the width of the noise sigmoid, on the margin ``sigma - 2 beta``
            ([our default] 0.05).

    Returns:
        ``variance``, ``activity``, ``artefact``, ``noise`` and ``edges`` (mean |Sobel| of the
        MSCN map), each (B, C, H / 16, W / 16) (sizes rounded up).
    """
    if x.dim() != 4:
        raise ValueError(f'piqe_cues expects (B, C, H, W), got shape {tuple(x.shape)}')
    m = mscn(_symmetric_pad(x), c=1.0, border='replicate')
    b, c, h, w = m.shape

    def blocks(t: torch.Tensor) -> torch.Tensor:
        return t.reshape(b, c, h // BLOCK, BLOCK, w // BLOCK, BLOCK).transpose(3, 4)

    blk = blocks(m)  # (B, C, nby, nbx, 16, 16)
    variance = blk.flatten(-2).var(dim=-1, correction=1)
    edges = torch.stack([blk[..., 0, :], blk[..., :, BLOCK - 1], blk[..., BLOCK - 1, :],
                         blk[..., :, 0]], dim=-2)  # (..., 4, 16)
    flattest = _std(edges.unfold(-1, SEGMENT, 1), dim=-1).flatten(-2).amin(dim=-1)
    centre = BLOCK // 2 - 1  # 0-based first centre column of the reference's 15-wide indexing
    centre_std = _std(blk[..., :, centre:centre + 2].flatten(-2), dim=-1)
    keep = [i for i in range(BLOCK) if i not in (centre, centre + 2)]
    surround_std = _std(blk[..., :, keep].flatten(-2), dim=-1)
    sigma = variance.clamp_min(1e-12).sqrt()
    ratio = centre_std / surround_std
    beta = (sigma - ratio).abs() / torch.maximum(sigma, ratio)
    if hard:
        activity = (variance > ACTIVITY_THRESHOLD).to(x.dtype)
        artefact = (flattest < IMPAIRED_THRESHOLD).to(x.dtype)
        noise = (sigma > 2 * beta).to(x.dtype)
    else:
        activity = _soft_above(variance, ACTIVITY_THRESHOLD, activity_temperature)
        artefact = 1 - _soft_above(flattest, IMPAIRED_THRESHOLD, artefact_temperature)
        noise = torch.sigmoid((sigma - 2 * beta) / noise_temperature)
    return dict(variance=variance, activity=activity, artefact=artefact, noise=noise,
                edges=blocks(_sobel_magnitude(m)).flatten(-2).mean(dim=-1))


def piqe_score(x: torch.Tensor, hard: bool = True, **temperatures) -> torch.Tensor:
    """PIQE score of every channel, (B, C), in [0, 100]; higher is worse (paper eq. 9)."""
    cues = piqe_cues(x, hard=hard, **temperatures)
    v, active = cues['variance'], cues['activity']
    distortion = active * (cues['artefact'] * (1 - v) + cues['noise'] * v)
    return 100 * (distortion.sum(dim=(-2, -1)) + 1) / (active.sum(dim=(-2, -1)) + 1)
