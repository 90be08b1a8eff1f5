"""The OFA-KD loss (Hao et al., "One-for-All: Bridge the Gap Between Heterogeneous
Architectures in Knowledge Distillation", NeurIPS 2023; official code:
github.com/Hao840/OFAKD, ``distillers/ofa.py``): a cross-entropy with the teacher's
probabilities, the target class's raised to ``eps``, applied to the student's logits and to
the logits of a projector branch on each student stage (:class:`~mmfreqkd.OFAProjector`)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from ...registry import MODELS

__all__ = ['OFALoss', 'ofa_targets']


def ofa_targets(probs_T: torch.Tensor, labels: torch.Tensor, eps: float) -> torch.Tensor:
    """The soft targets of OFA-KD: ``(p_T + y)^eps - y`` per class, ``y`` the one-hot label
    (official ``ofa_loss``). The target class
    gets ``(1 + p_T)^eps - 1``, every other ``p_T^eps``; at ``eps = 1`` they are the
    teacher's probabilities, and ``eps > 1`` raises the target class's weight where the
    teacher is confident in it."""
    onehot = F.one_hot(labels.long(), probs_T.shape[1]).to(probs_T.dtype)
    return (probs_T + onehot).pow(eps) - onehot


@MODELS.register_module()
class OFALoss(nn.Module):
    """``mean_i sum_c -t_ic log p_S,ic`` with ``t = ofa_targets(p_T, y, eps)``, ``p_S`` and
    ``p_T`` the softmax of the student's and the teacher's logits at temperature ``tau``
    [code: OFAKD ``ofa_loss``; its ``log(softmax)`` taken as ``log_softmax``, equal where
    the former is finite].

    Args:
        eps: the target-class exponent (official: 1.0 on CIFAR-100, 1.5 for DeiT-T ->
            ResNet-18 on ImageNet-1k).
        tau: the softmax temperature (official default 1).
        loss_weight: the term's weight (official ``kd_loss_weight`` on the final logits,
            ``ofa_loss_weight`` on each stage branch, both 1).

    Examples:
        >>> logits = torch.tensor([[2.0, 0.0, -1.0]])
        >>> loss = OFALoss(eps=1.0)
        >>> float(loss(logits, logits, torch.tensor([0]))) == float(
        ...     -(logits.softmax(1) * logits.log_softmax(1)).sum())  # the entropy
        True
    """

    def __init__(self, eps: float = 1.0, tau: float = 1.0, loss_weight: float = 1.0) -> None:
        super().__init__()
        if not eps > 0 or not tau > 0:
            raise ValueError(f'OFALoss: eps and tau must be > 0, got eps={eps}, tau={tau}')
        self.eps, self.tau, self.loss_weight = eps, tau, loss_weight

    def forward(self, preds_S: torch.Tensor, preds_T: torch.Tensor,
                gt_labels: torch.Tensor) -> torch.Tensor:
        """Args: the student's (or a branch's) logits (N, C), the teacher's (N, C), the labels
        (N, ) (mmpretrain's head passes them to its loss module)."""
        if preds_S.shape != preds_T.shape or preds_S.dim() != 2:
            raise ValueError(f'OFALoss: student and teacher logits must both be (N, classes), '
                             f'got {tuple(preds_S.shape)} and {tuple(preds_T.shape)}')
        if gt_labels.dim() != 1 or gt_labels.shape[0] != preds_S.shape[0]:
            raise ValueError(f'OFALoss: gt_labels must be ({preds_S.shape[0]}, ) class '
                             f'indices, got shape {tuple(gt_labels.shape)} (a label-mixing '
                             f'augmentation gives scores: not supported)')
        targets = ofa_targets((preds_T.detach().float() / self.tau).softmax(1), gt_labels,
                              self.eps)
        log_p = (preds_S.float() / self.tau).log_softmax(1)
        return self.loss_weight * -(targets * log_p).sum(1).mean()
