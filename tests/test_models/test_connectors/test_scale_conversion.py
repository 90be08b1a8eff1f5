"""The Scale Conversion Module: an image-like map in [0, 1] that starts as the channel mean."""
import pytest
import torch

from mmfreqkd.models.connectors import ScaleConversionModule, minmax01


def test_learnable_side_starts_as_the_fixed_channel_mean():
    feature = torch.randn(2, 24, 16, 16)
    learnable, fixed = ScaleConversionModule(24), ScaleConversionModule(24, learnable=False)
    torch.testing.assert_close(learnable(feature), fixed(feature))
    torch.testing.assert_close(fixed(feature), minmax01(feature.mean(dim=1, keepdim=True)))
    assert sum(p.numel() for p in fixed.parameters()) == 0


def test_range_size_and_gradient():
    scm = ScaleConversionModule(8, out_channels=3, size=(32, 20))
    feature = torch.randn(2, 8, 16, 10, requires_grad=True)
    out = scm(feature)
    assert out.shape == (2, 3, 32, 20)
    flat = out.flatten(-2)
    torch.testing.assert_close(flat.amin(-1), torch.zeros(2, 3))
    torch.testing.assert_close(flat.amax(-1), torch.ones(2, 3), atol=1e-5, rtol=0)
    out.sum().backward()
    assert scm.proj.weight.grad.abs().sum() > 0 and feature.grad.abs().sum() > 0


def test_named_errors():
    with pytest.raises(ValueError, match='out_channels must be 1'):
        ScaleConversionModule(8, out_channels=3, learnable=False)
    with pytest.raises(ValueError, match='built for 8 input channels'):
        ScaleConversionModule(8)(torch.randn(1, 4, 8, 8))
