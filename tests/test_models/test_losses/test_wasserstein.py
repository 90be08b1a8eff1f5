"""WGAN-GP terms against hand computations on toy critics."""
import torch

from mmfreqkd.models.losses import WGANGeneratorLoss, WGANGPDiscriminatorLoss


def test_gradient_penalty_of_a_linear_critic_is_its_weight_norm_minus_one_squared():
    torch.manual_seed(0)
    w = torch.randn(3, 4, 4)
    critic = lambda x: (x * w).flatten(1).sum(1)  # noqa: E731  (gradient w at every input)
    real, fake = torch.randn(2, 3, 4, 4), torch.randn(2, 3, 4, 4)
    out = WGANGPDiscriminatorLoss(loss_weight=0.1, gp_weight=10)(critic, real, fake)
    torch.testing.assert_close(out['loss_gp'], 0.1 * 10 * (w.norm() - 1)**2)
    torch.testing.assert_close(out['loss_critic'],
                               0.1 * (critic(fake).mean() - critic(real).mean()))


def test_gradient_penalty_of_a_quadratic_critic_at_the_given_interpolates():
    critic = lambda x: x.pow(2).flatten(1).sum(1)  # noqa: E731  (gradient 2x)
    real, fake = torch.randn(3, 2, 5, 5), torch.randn(3, 2, 5, 5)
    alpha = torch.rand(3, 1, 1, 1)
    x_hat = alpha * real + (1 - alpha) * fake
    hand = ((2 * x_hat.flatten(1).norm(dim=1) - 1)**2).mean()
    out = WGANGPDiscriminatorLoss(loss_weight=1, gp_weight=1)(critic, real, fake, alpha=alpha)
    torch.testing.assert_close(out['loss_gp'], hand)


def test_penalty_gradient_reaches_the_critic_parameters():
    critic = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(8, 4), torch.nn.Tanh(),
                                 torch.nn.Linear(4, 1), torch.nn.Flatten(0))
    out = WGANGPDiscriminatorLoss()(critic, torch.randn(2, 8), torch.randn(2, 8))
    out['loss_gp'].backward()
    assert critic[1].weight.grad.abs().sum() > 0


def test_generator_term():
    torch.testing.assert_close(WGANGeneratorLoss(0.001)(torch.tensor([1.0, 3.0])),
                               torch.tensor(-0.002))
