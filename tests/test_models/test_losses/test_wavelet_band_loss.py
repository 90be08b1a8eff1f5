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

    pairs = list(zip(bands(s), bands(t)))
    weights = [low] + [high] * (len(pairs) - 1)
    if normalize == 'map':
        energy = sum((bt**2).sum() for _, bt in pairs) + eps
        return sum(w * ((bs - bt)**2).sum() for w, (bs, bt) in zip(weights, pairs)) / energy
    total = 0.0
    for w, (bs, bt) in zip(weights, pairs):
        term = ((bs - bt)**2).mean()
        if normalize == 'band':
            term /= (bt**2).mean() + eps
        total += w * term
    return total


@pytest.mark.parametrize('wavelet, level, mode, size', [
    ('haar', 2, 'zero', (14, 14)),
    ('haar', 3, 'zero', (13, 9)),  # odd sizes at every level
    ('db2', 1, 'symmetric', (12, 10)),
    ('haar', 1, 'periodization', (7, 7)),
])
@pytest.mark.parametrize('normalize', ['map', 'band', None])
def test_matches_pywavelets(wavelet, level, mode, size, normalize):
    rng = np.random.default_rng(0)
    s, t = rng.normal(size=(2, 3, *size)), rng.normal(size=(2, 3, *size))
    loss = WaveletBandLoss(level, wavelet, mode, low_weight=1.0, high_weight=0.5,
                           normalize=normalize, loss_weight=3.0)
    expected = 3.0 * _pywt_loss(s, t, wavelet, level, mode, 1.0, 0.5, normalize)
    assert float(loss(torch.from_numpy(s), torch.from_numpy(t))) == pytest.approx(expected,
                                                                                  rel=1e-10)


def test_map_normalisation_ignores_the_teachers_scale_and_is_parsevals_relative_error():
    """With an orthogonal wavelet and a border that keeps it orthogonal (Haar on an even map),
    equal band weights make the 'map' loss the plain relative squared error of the maps."""
    rng = np.random.default_rng(1)
    s, t = (torch.from_numpy(rng.normal(size=(2, 3, 8, 8))) for _ in range(2))
    loss = WaveletBandLoss(level=2, low_weight=1.0, high_weight=1.0, normalize='map', eps=0)
    relative = float(((s - t)**2).sum() / (t**2).sum())
    assert float(loss(s, t)) == pytest.approx(relative, rel=1e-12)
    assert float(loss(7 * s, 7 * t)) == pytest.approx(relative, rel=1e-12)


def test_band_normalisation_prefers_a_constant_student_to_a_close_noisy_one():
    """Why 'map' is the default: against a smooth teacher map (little detail energy), 'band'
    scores a constant student map (no detail at all) better than a student equal to the
    teacher up to small noise, which 'map' ranks far better, as a squared error does."""
    ramp = torch.linspace(0, 1, 16, dtype=torch.float64)
    teacher = (ramp[:, None] + ramp[None, :]).expand(1, 4, 16, 16)
    noisy = teacher + 0.1 * torch.from_numpy(np.random.default_rng(2).normal(size=(1, 4, 16, 16)))
    constant = torch.full_like(teacher, float(teacher.mean()))
    band, by_map = WaveletBandLoss(normalize='band'), WaveletBandLoss(normalize='map')
    assert float(band(constant, teacher)) < float(band(noisy, teacher))
    assert float(by_map(noisy, teacher)) < float(by_map(constant, teacher))


def test_gradient_reaches_the_student_only_and_mismatch_is_named():
    s = torch.randn(1, 4, 8, 8, requires_grad=True)
    t = torch.randn(1, 4, 8, 8, requires_grad=True)
    WaveletBandLoss()(s, t).backward()
    assert s.grad.abs().sum() > 0 and t.grad is None
    with pytest.raises(ValueError, match=r'\(1, 4, 8, 8\).*\(1, 4, 8, 6\)'):
        WaveletBandLoss()(s, torch.zeros(1, 4, 8, 6))
    with pytest.raises(ValueError, match='level must be >= 1'):
        WaveletBandLoss(level=0)
    with pytest.raises(ValueError, match=r"normalize must be one of .*got True"):
        WaveletBandLoss(normalize=True)
