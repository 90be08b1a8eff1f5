"""mmfreqkd.ops.fourier against numpy's FFT conventions and Parseval's theorem."""
import numpy as np
import pytest
import pywt
import torch

from mmfreqkd.ops import (band_energy, gaussian_lowpass_mask, radial_frequencies, radial_profile,
                          spectral_downsample, wavedec2)


@pytest.mark.parametrize('size', [(8, 8), (7, 12)])
def test_gaussian_mask_matches_numpy_fftfreq(size):
    h, w = size
    sigma = 0.25 * min(size)
    fy, fx = np.fft.fftfreq(h, 1 / h)[:, None], np.fft.fftfreq(w, 1 / w)[None, :]
    ref = np.exp(-(fy**2 + fx**2) / (2 * sigma**2))
    np.testing.assert_allclose(gaussian_lowpass_mask(h, w, sigma, dtype=torch.float64), ref)
    np.testing.assert_allclose(
        gaussian_lowpass_mask(h, w, sigma, shifted=True, dtype=torch.float64),
        np.fft.fftshift(ref))
    with pytest.raises(ValueError, match='sigma'):
        gaussian_lowpass_mask(h, w, 0)


def test_radial_profile_puts_a_plane_wave_in_its_ring_and_keeps_the_total():
    n = 48
    yy, xx = np.meshgrid(np.arange(n), np.arange(n), indexing='ij')
    wave = np.cos(2 * np.pi * (3 * xx + 4 * yy) / n)  # |k| = 5 cycles per side
    power = np.abs(np.fft.fft2(wave))**2
    prof = radial_profile(torch.from_numpy(power))
    assert int(prof.argmax()) == 5
    np.testing.assert_allclose(prof.sum().item(), power.sum())
    np.testing.assert_allclose(prof[5].item(), power.sum(), rtol=1e-9)


def test_radial_profile_batched_and_rectangular():
    spec = torch.rand(2, 3, 10, 15, dtype=torch.float64)
    prof = radial_profile(spec)
    torch.testing.assert_close(prof.sum(-1), spec.sum((-2, -1)))
    assert prof.shape[:2] == (2, 3)


@pytest.mark.parametrize('wavelet', ['haar', 'db2', 'sym4'])
def test_band_energy_obeys_parseval_for_orthogonal_wavelets(wavelet):
    x = torch.randn(2, 3, 32, 32, dtype=torch.float64)
    energies = band_energy(wavedec2(x, wavelet, 3, 'periodization'))
    total = energies[0] + sum(sum(level) for level in energies[1:])
    torch.testing.assert_close(total, x.pow(2).sum((-2, -1)))
    ref = pywt.wavedec2(x[0, 0].numpy(), wavelet, mode='periodization', level=3)
    np.testing.assert_allclose(energies[1][0][0, 0].item(), (ref[1][0]**2).sum())


def test_gradcheck():
    spec = torch.rand(2, 6, 7, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(radial_profile, (spec, ))
    x = torch.randn(1, 2, 8, 6, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda t: torch.cat([e.flatten() for level in band_energy(wavedec2(t, 'db2', 2))
                             for e in (level if isinstance(level, tuple) else (level, ))]),
        (x, ))


@pytest.mark.parametrize('big,small', [((32, 32), (16, 16)), ((30, 45), (15, 9)),
                                       ((17, 24), (17, 12)), ((8, 8), (1, 1))])
def test_spectral_downsample_inverts_numpy_zero_padding(big, small):
    """A coarse signal band-limited by numpy's zero-padded FFT up-sampling comes back exactly
    (the even-size Nyquist bins are split between their aliases when up-sampling, as the
    down-sampling expects)."""
    rng = np.random.default_rng(0)
    coarse = rng.standard_normal((2, *small))
    spectrum = np.fft.fft2(coarse)
    padded = np.zeros((2, *big), complex)
    for fy in range(small[0]):
        for fx in range(small[1]):
            ky = fy if fy < (small[0] + 1) // 2 else fy - small[0]
            kx = fx if fx < (small[1] + 1) // 2 else fx - small[1]
            ny = [ky] if 2 * abs(ky) != small[0] else [ky, -ky]
            nx = [kx] if 2 * abs(kx) != small[1] else [kx, -kx]
            share = spectrum[:, fy, fx] / (len(ny) * len(nx))
            for y in ny:
                for x in nx:
                    padded[:, y % big[0], x % big[1]] += share
    upsampled = np.fft.ifft2(padded).real * (big[0] * big[1]) / (small[0] * small[1])
    result = spectral_downsample(torch.from_numpy(upsampled), small)
    np.testing.assert_allclose(result.numpy(), coarse, atol=1e-10)


def test_spectral_downsample_keeps_the_mean_and_the_identity():
    x = torch.randn(2, 3, 12, 10, dtype=torch.float64)
    assert spectral_downsample(x, (12, 10)) is x
    torch.testing.assert_close(spectral_downsample(x, (5, 4)).mean((-2, -1)), x.mean((-2, -1)))
    with pytest.raises(ValueError, match='within the input size'):
        spectral_downsample(x, (13, 4))


def test_radial_profile_rings_of_a_fixed_width_add_across_sizes():
    a, b = torch.rand(16, 16), torch.rand(40, 24)
    pa, pb = radial_profile(a, bin_width=1 / 32), radial_profile(b, bin_width=1 / 32)
    assert pa.shape == pb.shape == (24, )
    torch.testing.assert_close(pa.sum(), a.sum())
    torch.testing.assert_close(pb.sum(), b.sum())
    freq = torch.sqrt(radial_frequencies(40, 24))
    torch.testing.assert_close(pb[0], b[freq < 0.5 / 32].sum())
