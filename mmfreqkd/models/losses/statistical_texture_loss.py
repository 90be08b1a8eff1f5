"""SSTKD's statistical texture loss L_sta (Ji et al., CVPR 2022, Sec. 3.3;
docs/methods/sstkd.md)."""
import torch
import torch.nn as nn

from ...registry import MODELS
from ._checks import check_pair

__all__ = ['StatisticalTextureLoss']


@MODELS.register_module()
class StatisticalTextureLoss(nn.Module):
    """``L_sta = mean((DTIEM^S - DTIEM^T)^2)`` in float32, the teacher's map a fixed target.

    Args:
        loss_weight: lambda_sta ([our default] 1).

    Examples:
        >>> loss = StatisticalTextureLoss()
        >>> float(loss(torch.ones(1, 2, 3, 3), torch.zeros(1, 2, 3, 3)))
        1.0
    """

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, preds_S: torch.Tensor, preds_T: torch.Tensor) -> torch.Tensor:
        check_pair('StatisticalTextureLoss', 'texture map', preds_S, preds_T)
        return self.loss_weight * (preds_S.float() - preds_T.detach().float()).pow(2).mean()
