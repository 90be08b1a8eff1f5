"""Pixel-wise response distillation (Liu et al., "Structured Knowledge Distillation for Semantic
Segmentation", CVPR 2019, Eq. 1), as SSTKD uses it with the IFVD protocol
(docs/methods/sstkd.md)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from ...registry import MODELS
from ._checks import check_pair

__all__ = ['PixelWiseKLLoss']


@MODELS.register_module()
class PixelWiseKLLoss(nn.Module):
    """``KL(softmax(z_T / tau) || softmax(z_S / tau))`` over the classes at every pixel of the
    logit maps (B, K, H, W), computed in float32.

    Args:
        tau: temperature ([code: IFVD] 1).
        loss_weight: lambda_kd ([code: IFVD] 10).
        reduction: ``'mean'`` averages over all B*K*H*W elements, as
            ``torch.nn.KLDivLoss()`` (default reduction) does in the reference protocol, so the
            value is the per-pixel KL divided by K; ``'pixel'`` sums over classes and averages
            over pixels (the per-pixel KL itself).
        scale_by_tau_square: multiply by tau^2 (Hinton et al.'s gradient scale; no effect at
            tau = 1) (default True).

    Examples:
        >>> z = torch.randn(2, 5, 4, 4)
        >>> float(PixelWiseKLLoss()(z, z))
        0.0
    """

    def __init__(self, tau: float = 1.0, loss_weight: float = 1.0, reduction: str = 'mean',
                 scale_by_tau_square: bool = True) -> None:
        super().__init__()
        if reduction not in ('mean', 'pixel'):
            raise ValueError(f"PixelWiseKLLoss: reduction must be 'mean' or 'pixel', "
                             f'got {reduction!r}')
        self.tau, self.loss_weight, self.reduction = tau, loss_weight, reduction
        self.scale = tau**2 if scale_by_tau_square else 1.0

    def forward(self, preds_S: torch.Tensor, preds_T: torch.Tensor) -> torch.Tensor:
        check_pair('PixelWiseKLLoss', 'logits', preds_S, preds_T)
        log_p_s = F.log_softmax(preds_S.float() / self.tau, dim=1)
        log_p_t = F.log_softmax(preds_T.detach().float() / self.tau, dim=1)
        kl = F.kl_div(log_p_s, log_p_t, reduction='none', log_target=True)
        kl = kl.mean() if self.reduction == 'mean' else kl.sum(1).mean()
        return self.loss_weight * self.scale * kl
