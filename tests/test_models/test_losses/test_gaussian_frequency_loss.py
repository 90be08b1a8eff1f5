"""GaussianFrequencyLoss (SFKD's GFFL) against numpy's FFT."""
import numpy as np
import pytest
import torch

from mmfreqkd.models.losses import GaussianFrequencyLoss


def _numpy_gffl(s, t, sigma, mode):
    """The loss written with numpy: orthonormal 2-D FFT per channel, a Gaussian window on the
    integer frequencies (cycles per feature size), the mean of the windowed difference."""
    h, w = s.shape[-2:]
    x, y = np.fft.fft2(s, norm='ortho'), np.fft.fft2(t, norm='ortho')
    u = np.fft.fftfreq(h) * h
    v = np.fft.fftfreq(w) * w
    window = np.exp(-(u[:, None]**2 + v[None, :]**2) / (2 * sigma**2))
    diff = np.abs(x - y) if mode == 'complex' else np.abs(np.abs(x) - np.abs(y))
    return (window * diff).mean()


@pytest.mark.parametrize('mode', ['complex', 'amplitude'])
@pytest.mark.parametrize('size', [(7, 7), (6, 9)])
def test_matches_numpy(mode, size):
    rng = np.random.default_rng(0)
    s, t = rng.normal(size=(2, 3, *size)), rng.normal(size=(2, 3, *size))
    gffl = GaussianFrequencyLoss(mode=mode, loss_weight=2.0)
    loss = gffl(torch.from_numpy(s), torch.from_numpy(t))
    sigma = 0.25 * min(size)
    assert float(loss) == pytest.approx(2.0 * _numpy_gffl(s, t, sigma, mode), rel=1e-12)


def test_infinite_sigma_is_the_unmasked_spectral_l1():
    rng = np.random.default_rng(1)
    s, t = rng.normal(size=(1, 4, 8, 8)), rng.normal(size=(1, 4, 8, 8))
    unmasked = np.abs(np.fft.fft2(s, norm='ortho') - np.fft.fft2(t, norm='ortho')).mean()
    loss = GaussianFrequencyLoss(sigma=1e12)(torch.from_numpy(s), torch.from_numpy(t))
    assert float(loss) == pytest.approx(unmasked, rel=1e-12)


def test_zero_for_identical_maps_and_amplitude_ignores_a_circular_shift():
    f = torch.randn(2, 5, 8, 8, dtype=torch.float64)
    assert float(GaussianFrequencyLoss()(f, f)) == 0.0
    shifted = torch.roll(f, shifts=(3, -2), dims=(-2, -1))
    assert float(GaussianFrequencyLoss(mode='amplitude')(shifted, f)) == pytest.approx(
        0.0, abs=1e-12)
    assert float(GaussianFrequencyLoss(mode='complex')(shifted, f)) > 0.1


@pytest.mark.parametrize('mode', ['complex', 'amplitude'])
def test_gradcheck(mode):
    s = torch.randn(1, 2, 5, 6, dtype=torch.float64, requires_grad=True)
    t = torch.randn(1, 2, 5, 6, dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda x: GaussianFrequencyLoss(mode=mode)(x, t), (s, ))


def test_half_inputs_are_computed_in_float32_and_the_teacher_gets_no_gradient():
    s = torch.randn(1, 2, 8, 8).half().requires_grad_()
    t = torch.randn(1, 2, 8, 8).half().requires_grad_()
    loss = GaussianFrequencyLoss()(s, t)
    assert loss.dtype == torch.float32
    loss.backward()
    assert s.grad is not None and t.grad is None


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match=r'\(1, 2, 4, 4\).*\(1, 3, 4, 4\)'):
        GaussianFrequencyLoss()(torch.zeros(1, 2, 4, 4), torch.zeros(1, 3, 4, 4))
    with pytest.raises(ValueError, match="mode must be 'complex' or 'amplitude'"):
        GaussianFrequencyLoss(mode='phase')
    with pytest.raises(ValueError, match='sigma must be > 0'):
        GaussianFrequencyLoss(sigma=0.0)
