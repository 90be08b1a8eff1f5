"""A KL divergence between two images whose intensities are probabilities: SLKD's output KL
term (Zhang and Yan, ICASSP 2025, arXiv 2501.09268; docs/methods/slkd.md)."""
import torch
import torch.nn as nn

from ...registry import MODELS
from ._checks import check_pair

__all__ = ['IntensityKLLoss']


@MODELS.register_module()
class IntensityKLLoss(nn.Module):
    """``mean KL(Bernoulli(t) || Bernoulli(s))`` over every pixel and channel of two images in
    ``[0, data_range]``, ``t`` the teacher's and ``s`` the student's intensities divided by
    ``data_range``::

        KL = t log(t / s) + (1 - t) log((1 - t) / (1 - s))

    the binary cross-entropy of the student against the teacher minus the teacher's own
    entropy (the divergence behind the cross-entropy loss of sigmoid outputs): each pixel's
    value is compared, with the gradient ``(s - t) / (s (1 - s))`` per element. A divergence
    between spatial softmax distributions (mmrazor's ``ChannelWiseDivergence``) is made for
    logit maps: the softmax of [0, 1] intensities at temperature 1 stays within a factor e of
    uniform, so it compares how brightness spreads over the image, weakly (on the embedded
    deraining pair its gradient was 1/1600 of the restoration loss's at weight 0.1).
    Like every divergence it is quadratic near a match, so its share of the gradient falls as
    the student nears the teacher; calibrate its weight (docs/usage.md).

    Both intensities are clamped to ``[eps, 1 - eps]``; a student value outside the range gets
    no gradient from this term (the pixel losses bring it back).

    Args:
        data_range: the images' value range ([our default] 1).
        eps: the clamp ([our default] 1e-4).
        loss_weight: the term's weight (lambda of SLKD's KL term).

    Examples:
        >>> loss = IntensityKLLoss()
        >>> x = torch.rand(2, 3, 8, 8)
        >>> float(loss(x, x))
        0.0
    """

    def __init__(self, data_range: float = 1.0, eps: float = 1e-4,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if data_range <= 0 or not 0 < eps < 0.5:
            raise ValueError(f'IntensityKLLoss: data_range > 0 and 0 < eps < 0.5 needed, got '
                             f'data_range={data_range}, eps={eps}')
        self.data_range, self.eps, self.loss_weight = data_range, eps, loss_weight

    def forward(self, preds_S: torch.Tensor, preds_T: torch.Tensor) -> torch.Tensor:
        check_pair('IntensityKLLoss', 'image', preds_S, preds_T)
        s = (preds_S.float() / self.data_range).clamp(self.eps, 1 - self.eps)
        t = (preds_T.detach().float() / self.data_range).clamp(self.eps, 1 - self.eps)
        kl = t * (t.log() - s.log()) + (1 - t) * ((1 - t).log() - (1 - s).log())
        return self.loss_weight * kl.mean()
