"""SSTKD's structural texture loss L_str (Ji et al., CVPR 2022, Sec. 3.2; docs/methods/sstkd.md)."""
from typing import Sequence, Tuple, Union

import torch
import torch.nn as nn

from ...ops import DirectionalSubbands
from ...registry import MODELS
from ._checks import check_pair

__all__ = ['StructuralTextureLoss']


NORMALIZATIONS = ('level', 'direction', 'none')
Band = Union[torch.Tensor, DirectionalSubbands]


@MODELS.register_module()
class StructuralTextureLoss(nn.Module):
    """MSE between student and teacher contourlet sub-bands, summed over pyramid levels and
    directions: ``L_str = sum_j sum_k mean((d^S_jk - d^T_jk)^2) [+ mean((a^S_J - a^T_J)^2)]``,
    each level normalised by the teacher's energy so that no level dominates.

    Args:
        loss_weight: lambda_str ([our default] 1).
        normalize: ``'level'`` ([our default]): a level's squared errors, summed over its
            directions, are divided by the teacher's mean squares summed over the same
            directions (the relative error of the level; the coarse band likewise), so the
            loss starts near J + 1 for an untrained student. ``'direction'``: every sub-band
            by its own teacher mean square (on small maps a wedge may hold almost no
            frequency, and its ratio is then ill-conditioned). ``'none'``: plain MSEs.
        with_coarse: include the coarse band a_J ([our default] True).
        eps: added to the teacher's mean square before dividing.

    Inputs are the outputs of :class:`~mmfreqkd.models.connectors.ContourletConnector`
    (``[d_1, ..., d_J, a_J]``, d_j of shape (B, C, K_j, H_j, W_j) or its
    :class:`~mmfreqkd.ops.DirectionalSubbands`, whose per-direction mean squares come by
    Parseval from the level's spectrum without forming the K_j sub-bands), computed in float32;
    the teacher's bands are a fixed target.

    Examples:
        >>> loss = StructuralTextureLoss()
        >>> t = [torch.randn(2, 3, 8, 8, 8), torch.randn(2, 3, 4, 4)]
        >>> float(loss(t, t))
        0.0
    """

    def __init__(self, loss_weight: float = 1.0, normalize: str = 'level',
                 with_coarse: bool = True, eps: float = 1e-8) -> None:
        super().__init__()
        if normalize not in NORMALIZATIONS:
            raise ValueError(f'StructuralTextureLoss: normalize must be one of {NORMALIZATIONS}'
                             f', got {normalize!r}')
        self.loss_weight, self.normalize = loss_weight, normalize
        self.with_coarse, self.eps = with_coarse, eps

    def _level_term(self, s: Band, t: Band) -> torch.Tensor:
        """Squared error of one level, normalised as configured."""
        err, energy = _mean_squares(s, t)
        if self.normalize == 'level':
            return err.sum() / (energy.sum() + self.eps)
        if self.normalize == 'direction':
            return (err / (energy + self.eps)).sum()
        return err.sum()

    def forward(self, preds_S: Sequence[torch.Tensor],
                preds_T: Sequence[torch.Tensor]) -> torch.Tensor:
        if len(preds_S) != len(preds_T):
            raise ValueError(f'StructuralTextureLoss: the student has {len(preds_S)} bands and '
                             f'the teacher {len(preds_T)}; use one decomposition for both')
        pairs = list(zip(preds_S, preds_T))
        if not self.with_coarse:
            pairs = pairs[:-1]
        total = 0.
        for j, (s, t) in enumerate(pairs):
            check_pair('StructuralTextureLoss', f'band {j}', s, t)
            total = total + self._level_term(s, t.detach())
        return self.loss_weight * total


def _mean_squares(s: Band, t: Band) -> Tuple[torch.Tensor, torch.Tensor]:
    """Per-direction mean squares, in float32 or wider, of ``s - t`` and of ``t``: (K,) for
    sub-bands (B, C, K, H, W) or their :class:`DirectionalSubbands`, (1,) for a (B, C, H, W)
    coarse band."""
    if isinstance(s, DirectionalSubbands) != isinstance(t, DirectionalSubbands):
        raise ValueError('StructuralTextureLoss: student and teacher bands must both be tensors '
                         'or both DirectionalSubbands; use one ContourletConnector setting')
    if isinstance(s, DirectionalSubbands):
        return s.mean_squares(minus=t), t.mean_squares()
    if s.dtype != torch.float64:
        s, t = s.float(), t.float()
    if s.dim() == 4:
        s, t = s.unsqueeze(2), t.unsqueeze(2)
    dims = (0, 1, 3, 4)
    return (s - t).pow(2).mean(dims), t.pow(2).mean(dims)
