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
    """MSE between student and teacher contourlet sub-bands, over pyramid levels and
    directions: ``L_str = sum_j sum_k mean((d^S_jk - d^T_jk)^2) [+ mean((a^S_J - a^T_J)^2)]``,
    each sub-band normalised by the teacher's energy in it so that every direction counts.

    Why per direction: the directional sub-bands of a level are a linear split of it whose
    squared masks sum to 0.5-1 at every frequency, so by Parseval the plain sum of their MSEs
    (or the sum divided by the level's energy) is the MSE of the undivided band within a few
    per cent: the directions would carry no orientation into the loss (a student map equal to
    the teacher's rotated by 90 degrees scores like any other map). Dividing each direction's
    error by the teacher's energy in that direction weighs the directions the teacher's map
    barely holds as much as its dominant ones, so a map with the wrong orientation is far from
    the teacher's.

    Args:
        loss_weight: lambda_str ([our default] 1).
        normalize: ``'direction'`` ([our default]): a level's term is the mean over its
            directions of ``err_k / ((1 - floor) E_k + floor * mean_k E_k)``, the squared error
            of sub-band k relative to the teacher's mean square ``E_k`` in it, mixed with the
            level's mean so that a direction holding almost no teacher energy (a narrow wedge
            on a small map) is not ill-conditioned; for an isotropic map it equals the level's
            relative error, and the loss starts near J + 1 for an untrained student.
            ``'level'``: a level's squared errors, summed over its directions, divided by the
            teacher's mean squares summed over the same directions (the relative error of
            the undivided band, blind to orientation as explained above). ``'none'``: plain
            MSEs. The coarse band is divided by the teacher's mean square in all but
            ``'none'``.
        direction_floor: ``floor`` of ``'direction'``, in [0, 1) ([our default] 0.05: no
            direction weighs more than 20 times the level's average).
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

    def __init__(self, loss_weight: float = 1.0, normalize: str = 'direction',
                 direction_floor: float = 0.05, with_coarse: bool = True,
                 eps: float = 1e-8) -> None:
        super().__init__()
        if normalize not in NORMALIZATIONS:
            raise ValueError(f'StructuralTextureLoss: normalize must be one of {NORMALIZATIONS}'
                             f', got {normalize!r}')
        if not 0 <= direction_floor < 1:
            raise ValueError(f'StructuralTextureLoss: direction_floor must be in [0, 1), got '
                             f'{direction_floor}')
        self.loss_weight, self.normalize = loss_weight, normalize
        self.direction_floor, self.with_coarse, self.eps = direction_floor, with_coarse, eps

    def _level_term(self, s: Band, t: Band) -> torch.Tensor:
        """Squared error of one level, normalised as configured."""
        err, energy = _mean_squares(s, t)
        if self.normalize == 'level':
            return err.sum() / (energy.sum() + self.eps)
        if self.normalize == 'direction':
            floor = self.direction_floor
            reference = (1 - floor) * energy + floor * energy.mean()
            return (err / (reference + self.eps)).mean()
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
