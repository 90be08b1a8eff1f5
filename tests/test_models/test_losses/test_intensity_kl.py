"""IntensityKLLoss against torch.distributions' Bernoulli KL and binary cross-entropy."""
import pytest
import torch
import torch.nn.functional as F
from torch.distributions import Bernoulli, kl_divergence

from mmfreqkd.models.losses import IntensityKLLoss


def test_equals_the_bernoulli_kl_of_torch_distributions():
    torch.manual_seed(0)
    s = torch.rand(2, 3, 8, 8, dtype=torch.float64) * 0.98 + 0.01
    t = torch.rand(2, 3, 8, 8, dtype=torch.float64) * 0.98 + 0.01
    reference = kl_divergence(Bernoulli(probs=t), Bernoulli(probs=s)).mean()
    torch.testing.assert_close(IntensityKLLoss(loss_weight=2.0)(s, t).double(), 2 * reference,
                               rtol=1e-5, atol=1e-7)
    # the cross-entropy of the student against the teacher, less the teacher's entropy
    entropy = Bernoulli(probs=t).entropy().mean()
    torch.testing.assert_close(IntensityKLLoss()(s, t).double(),
                               F.binary_cross_entropy(s, t) - entropy, rtol=1e-5, atol=1e-7)


def test_data_range_and_gradient_on_the_scale_of_a_pixel_loss():
    torch.manual_seed(0)
    t = torch.rand(2, 3, 16, 16) * 0.8 + 0.1
    s = (t + 0.05 * torch.randn_like(t)).clamp(0.05, 0.95).requires_grad_(True)
    loss = IntensityKLLoss()(s, t)
    torch.testing.assert_close(IntensityKLLoss(data_range=255.0)(s * 255, t * 255), loss)
    grad, = torch.autograd.grad(loss, s)
    l1_grad, = torch.autograd.grad(F.l1_loss(s, t), s)
    ratio = float(grad.norm() / l1_grad.norm())
    assert 0.05 < ratio < 5


def test_teacher_gets_no_gradient_and_errors_are_named():
    s = torch.rand(1, 1, 4, 4, requires_grad=True)
    t = torch.rand(1, 1, 4, 4, requires_grad=True)
    IntensityKLLoss()(s, t).backward()
    assert s.grad is not None and t.grad is None
    with pytest.raises(ValueError, match=r'\(1, 1, 4, 4\).*\(1, 3, 4, 4\)'):
        IntensityKLLoss()(s, torch.rand(1, 3, 4, 4))
    with pytest.raises(ValueError, match='data_range'):
        IntensityKLLoss(data_range=0)
