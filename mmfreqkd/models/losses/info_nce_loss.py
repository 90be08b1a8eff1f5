"""An InfoNCE feature-distillation loss, one of the two feature losses the SFKD paper (Wang and
Wang, arXiv 2607.01906) compares its frequency losses with (the other is the plain MSE, mmrazor's
``L2Loss``). The paper does not define its InfoNCE variant; this is ours (docs/methods/sfkd.md):
the contrastive objective of van den Oord et al., "Representation Learning with Contrastive
Predictive Coding" (arXiv 1807.03748), with the teacher's embedding of the same image as the
positive and the other images of the batch as negatives."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from ...registry import MODELS
from ._checks import check_pair

__all__ = ['InfoNCEFeatureLoss']


@MODELS.register_module()
class InfoNCEFeatureLoss(nn.Module):
    """``-mean_i log( exp(s_i . t_i / tau) / sum_j exp(s_i . t_j / tau) )``, where ``s_i`` and
    ``t_i`` are the L2-normalised, globally average-pooled student and teacher features of
    image i (maps (B, C, H, W) or vectors (B, C)), and j runs over the batch. Computed in at
    least float32.

    Args:
        tau: temperature [our default] 0.1.
        loss_weight: its weight in the total loss (default 1).

    Examples:
        >>> f = torch.eye(4).reshape(4, 4, 1, 1)  # four orthogonal embeddings
        >>> round(float(InfoNCEFeatureLoss(tau=0.01)(f, f)), 6)
        0.0
    """

    def __init__(self, tau: float = 0.1, loss_weight: float = 1.0) -> None:
        super().__init__()
        if tau <= 0:
            raise ValueError(f'InfoNCEFeatureLoss: tau must be > 0, got {tau}')
        self.tau, self.loss_weight = tau, loss_weight

    @staticmethod
    def _embed(x: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
        x = x.to(dtype)
        return F.normalize(x.flatten(2).mean(2) if x.dim() > 2 else x, dim=1)

    def forward(self, preds_S: torch.Tensor, preds_T: torch.Tensor) -> torch.Tensor:
        check_pair('InfoNCEFeatureLoss', 'features', preds_S, preds_T)
        if preds_S.shape[0] < 2:
            raise ValueError('InfoNCEFeatureLoss: needs a batch of at least 2 images (the '
                             f'other images are the negatives), got shape {tuple(preds_S.shape)}')
        dtype = torch.promote_types(preds_S.dtype, torch.float32)
        logits = self._embed(preds_S, dtype) @ self._embed(preds_T.detach(), dtype).t() / self.tau
        target = torch.arange(logits.shape[0], device=logits.device)
        return self.loss_weight * F.cross_entropy(logits, target)
