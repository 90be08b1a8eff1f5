"""WGAN-GP adversarial distillation of logit maps (Gulrajani et al., "Improved Training of
Wasserstein GANs", NeurIPS 2017, Eq. 3), SSTKD's holistic loss with IFVD's weights
(docs/methods/sstkd.md): generator term ``lambda_adv * (-mean D(z_S))``, discriminator term
``lambda_d * (mean D(z_S) - mean D(z_T)) + lambda_d * lambda_gp * GP``."""
import torch
import torch.nn as nn

from ...registry import MODELS

__all__ = ['gradient_penalty', 'WGANGeneratorLoss', 'WGANGPDiscriminatorLoss']


def gradient_penalty(scores: torch.Tensor, interpolates: torch.Tensor) -> torch.Tensor:
    """``mean((||grad_x D(x)||_2 - 1)^2)`` at the interpolates, per sample norm (WGAN-GP Eq. 3).

    Args:
        scores: D's scores (B,) of ``interpolates`` (B, ...), which must require grad.
    """
    grad, = torch.autograd.grad(scores.sum(), interpolates, create_graph=True)
    return (grad.flatten(1).norm(2, dim=1) - 1).pow(2).mean()


@MODELS.register_module()
class WGANGeneratorLoss(nn.Module):
    """The student's adversarial term ``loss_weight * (-mean D(z_S))``.

    Args:
        loss_weight: lambda_adv ([code: IFVD] 0.001).
    """

    def __init__(self, loss_weight: float = 0.001) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, fake_scores: torch.Tensor) -> torch.Tensor:
        return -self.loss_weight * fake_scores.float().mean()


@MODELS.register_module()
class WGANGPDiscriminatorLoss(nn.Module):
    """The critic's term ``w * (mean D(fake) - mean D(real)) + w * gp_weight * GP``.

    One discriminator forward scores ``[real; fake; interpolates]`` together (so a
    DistributedDataParallel-wrapped discriminator runs once per step), with
    ``x_hat = alpha * real + (1 - alpha) * fake``, alpha ~ U(0, 1) per sample.

    Args:
        loss_weight: lambda_d ([code: IFVD] 0.1).
        gp_weight: lambda_gp ([code: IFVD] 10).

    Examples:
        >>> critic = lambda x: x.flatten(1).sum(1)  # gradient 1 everywhere
        >>> loss = WGANGPDiscriminatorLoss(loss_weight=1, gp_weight=1)
        >>> out = loss(critic, torch.zeros(2, 1, 2, 2), torch.zeros(2, 1, 2, 2))
        >>> float(out['loss_gp'])  # (||(1, 1, 1, 1)|| - 1)^2
        1.0
    """

    def __init__(self, loss_weight: float = 0.1, gp_weight: float = 10.0) -> None:
        super().__init__()
        self.loss_weight, self.gp_weight = loss_weight, gp_weight

    def forward(self, discriminator, real: torch.Tensor, fake: torch.Tensor,
                alpha: torch.Tensor = None) -> dict:
        """Return ``loss_critic`` (weighted Wasserstein estimate) and ``loss_gp`` (weighted)."""
        real, fake = real.detach().float(), fake.detach().float()
        if alpha is None:
            alpha = torch.rand(real.shape[0], *[1] * (real.dim() - 1), device=real.device)
        interpolates = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
        scores = discriminator(torch.cat([real, fake, interpolates])).float()
        d_real, d_fake, d_interp = scores.split(real.shape[0])
        return dict(
            loss_critic=self.loss_weight * (d_fake.mean() - d_real.mean()),
            loss_gp=self.loss_weight * self.gp_weight * gradient_penalty(d_interp, interpolates))
