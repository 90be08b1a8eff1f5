"""DTIEMConnector: STLNet statistics, noise-bin removal, equalisation channel, gradients."""
import pytest
import torch

from mmfreqkd.models.connectors import DTIEMConnector
from mmfreqkd.ops import histogram_equalize


def small(**kw):
    return DTIEMConnector(in_channels=8, embed_channels=16, out_channels=12, n_levels=16, **kw)


def test_output_shape_gradients_and_equalised_channel():
    torch.manual_seed(0)
    dtiem = small()
    x = torch.randn(2, 8, 11, 9, requires_grad=True)
    out = dtiem(x)
    assert out.shape == (2, 13, 11, 9)
    out.square().mean().backward()
    assert x.grad.abs().sum() > 0
    assert all(p.grad is not None for p in dtiem.parameters() if p.requires_grad)
    # the last channel is the histogram-equalised intensity map of the retained pixels
    with torch.no_grad():
        s = dtiem.intensity(dtiem.embed(x))
        keep, _, _ = dtiem.retained(s)
        torch.testing.assert_close(out[:, -1].flatten(1), histogram_equalize(s, 16) * keep)


def test_noise_bins_are_dropped_and_their_pixels_zeroed():
    """An intensity map with a few outliers far from the bulk: the outliers fall into sparse
    bins, are dropped, and the levels are re-placed over the bulk's range."""
    dtiem = small(iterations=2, noise_ratio=0.25, denoise_kernel=1)
    s = torch.cat([torch.linspace(0.0, 0.1, 500), torch.tensor([0.9, 1.0])])[None]
    keep, lo, hi = dtiem.retained(s)
    assert not keep[0, -2:].any() and keep[0, :500].all()
    torch.testing.assert_close(hi, torch.tensor([0.1]))
    assert float(lo) == 0.0
    one_pass = small(iterations=1, denoise_kernel=1).retained(s)[0]
    assert one_pass.all()


def test_constant_intensity_keeps_every_pixel_and_stays_finite():
    dtiem = small()
    out = dtiem(torch.ones(2, 8, 6, 6))
    assert torch.isfinite(out).all()


def test_channel_mismatch_names_the_shape():
    with pytest.raises(ValueError, match=r'8 input channels.*\(1, 4, 6, 6\)'):
        small()(torch.zeros(1, 4, 6, 6))
