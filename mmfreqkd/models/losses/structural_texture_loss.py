"""SSTKD's structural texture loss L_str (Ji et al., CVPR 2022, Sec. 3.2; docs/methods/sstkd.md)."""
from typing import Sequence

import torch
import torch.nn as nn

from ...registry import MODELS
from ._checks import check_pair

__all__ = ['StructuralTextureLoss']


@MODELS.register_module()
class StructuralTextureLoss(nn.Module):
    """Per-band MSE between student and teacher contourlet sub-bands, summed over levels and
    directions: ``L_str = sum_j sum_k mean((d^S_jk - d^T_jk)^2) [+ mean((a^S_J - a^T_J)^2)]``.

    Args:
        loss_weight: lambda_str ([our default] 1).
        normalize: divide each sub-band's squared error by the teacher sub-band's mean square
            (its RMS squared, over batch, channels and positions), so the finest band does not
            dominate ([our default] True).
        with_coarse: include the coarse band a_J ([our default] True).
        eps: added to the teacher's mean square before dividing.

    Inputs are the outputs of :class:`~mmfreqkd.models.connectors.ContourletConnector`
    (``[d_1, ..., d_J, a_J]``, d_j of shape (B, C, K_j, H_j, W_j)), computed in float32.

    Examples:
        >>> loss = StructuralTextureLoss()
        >>> t = [torch.randn(2, 3, 8, 8, 8), torch.randn(2, 3, 4, 4)]
        >>> float(loss(t, t))
        0.0
    """

    def __init__(self, loss_weight: float = 1.0, normalize: bool = True,
                 with_coarse: bool = True, eps: float = 1e-8) -> None:
        super().__init__()
        self.loss_weight, self.normalize = loss_weight, normalize
        self.with_coarse, self.eps = with_coarse, eps

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
            s, t = s.float(), t.detach().float()
            dims = [d for d in range(s.dim()) if d != 2] if s.dim() == 5 else None
            err = (s - t).pow(2)
            if dims is None:  # the coarse band (B, C, H, W): one term
                term = err.mean()
                if self.normalize:
                    term = term / (t.pow(2).mean() + self.eps)
            else:  # one term per direction k
                term = err.mean(dims)
                if self.normalize:
                    term = term / (t.pow(2).mean(dims) + self.eps)
                term = term.sum()
            total = total + term
        return self.loss_weight * total
