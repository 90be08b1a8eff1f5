"""WaveletBandLoss against the same loss written with PyWavelets' wavedec2."""
import numpy as np
import pytest
import pywt
import torch

from mmfreqkd.models.losses import WaveletBandLoss


def _pywt_loss(s, t, wavelet, level, mode, low, high, normalize, eps=1e-6):
    def bands(x):
        coeffs = pywt.wavedec2(x, wavelet, mode=mode, level=level, axes=(-2, -1))
        return [coeffs[0]] + [band for details in coeffs[1:] for band in details]

    total = 0.0
    for i, (bs, bt) in enumerate(zip(bands(s), bands(t))):
        term = ((bs - bt)**2).mean()
        if normalize:
            term /= (bt**2).mean() + eps
        total += (low if i == 0 else high) * term
    return total


@pytest.mark.parametrize('wavelet, level, mode, size', [
    ('haar', 2, 'zero', (14, 14)),
    ('haar', 3, 'zero', (13, 9)),  # odd sizes at every level
    ('db2', 1, 'symmetric', (12, 10)),
    ('haar', 1, 'periodization', (7, 7)),
])
@pytest.mark.parametrize('normalize', [True, False])
def test_matches_pywavelets(wavelet, level, mode, size, normalize):
    rng = np.random.default_rng(0)
    s, t = rng.normal(size=(2, 3, *size)), rng.normal(size=(2, 3, *size))
    loss = WaveletBandLoss(level, wavelet, mode, low_weight=1.0, high_weight=0.5,
                           normalize=normalize, loss_weight=3.0)
    expected = 3.0 * _pywt_loss(s, t, wavelet, level, mode, 1.0, 0.5, normalize)
    assert float(loss(torch.from_numpy(s), torch.from_numpy(t))) == pytest.approx(expected,
                                                                                  rel=1e-10)


def test_gradient_reaches_the_student_only_and_mismatch_is_named():
    s = torch.randn(1, 4, 8, 8, requires_grad=True)
    t = torch.randn(1, 4, 8, 8, requires_grad=True)
    WaveletBandLoss()(s, t).backward()
    assert s.grad.abs().sum() > 0 and t.grad is None
    with pytest.raises(ValueError, match=r'\(1, 4, 8, 8\).*\(1, 4, 8, 6\)'):
        WaveletBandLoss()(s, torch.zeros(1, 4, 8, 6))
    with pytest.raises(ValueError, match='level must be >= 1'):
        WaveletBandLoss(level=0)
