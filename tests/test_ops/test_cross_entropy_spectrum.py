"""mmfreqkd.ops.cross_entropy_spectrum: Parseval against torch's cross-entropy; label spectra
of block-constant maps against the DFT's known zeros."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from mmfreqkd.ops import cross_entropy_spectrum, cutoff_frequencies, label_spectrum, radial_profile


@pytest.mark.parametrize('size', [(16, 16), (15, 22), (1, 7)])
def test_contributions_sum_to_the_cross_entropy_with_ignored_pixels(size):
    gen = torch.Generator().manual_seed(0)
    logits = 3 * torch.randn(3, 5, *size, dtype=torch.float64, generator=gen)
    labels = torch.randint(0, 5, (3, *size), generator=gen)
    labels[torch.rand(3, *size, generator=gen) < 0.3] = 255
    contributions = cross_entropy_spectrum(logits, labels)
    assert contributions.shape == (3, *size)
    direct = F.cross_entropy(logits, labels, ignore_index=255)
    assert abs(float(contributions.sum() / direct) - 1) < 1e-8


def test_ignored_pixels_contribute_at_no_frequency():
    """Changing the logits where the label is ignored changes no contribution."""
    gen = torch.Generator().manual_seed(1)
    logits = torch.randn(1, 4, 12, 12, dtype=torch.float64, generator=gen)
    labels = torch.randint(0, 4, (1, 12, 12), generator=gen)
    labels[:, :4] = 255
    other = logits.clone()
    other[..., :4, :] = 100 * torch.randn(1, 4, 4, 12, dtype=torch.float64, generator=gen)
    torch.testing.assert_close(cross_entropy_spectrum(other, labels),
                               cross_entropy_spectrum(logits, labels))


def test_constant_prediction_lives_at_dc_only():
    """Spatially constant logits: log p is constant per class, so only DC contributes."""
    logits = torch.randn(1, 3, 1, 1, dtype=torch.float64).expand(1, 3, 8, 8)
    labels = torch.randint(0, 3, (1, 8, 8))
    contributions = cross_entropy_spectrum(logits, labels)
    torch.testing.assert_close(contributions[0, 0, 0], F.cross_entropy(logits, labels))
    assert contributions[0].flatten()[1:].abs().max() < 1e-12


def test_block_constant_labels_have_no_energy_on_the_block_harmonics():
    """A map constant on aligned 8x8 blocks is the nearest up-sampling of a coarse map: its DFT
    is the coarse DFT times a Dirichlet kernel that vanishes at every non-zero multiple of
    N/8 along each axis (numpy's FFT of the up-sampled map is the reference)."""
    rng = np.random.default_rng(0)
    coarse = rng.integers(0, 4, (8, 6))
    labels = np.kron(coarse, np.ones((8, 8), dtype=np.int64))  # 64 x 48
    power = label_spectrum(torch.from_numpy(labels)[None], 4)[0].numpy()
    reference = sum(np.abs(np.fft.fft2(labels == c, norm='ortho'))**2 for c in range(4))
    np.testing.assert_allclose(power, reference, atol=1e-9)
    # multiples of N/8: every 64/8 = 8th row and every 48/8 = 6th column
    assert power[8::8, :].max() < 1e-20 and power[:, 6::6].max() < 1e-20
    # most of the energy lies below the block frequency (1/8 cycles per pixel: ring 8 of
    # 1/64), unlike a map with independent pixels

    def low_share(p):
        profile = radial_profile(torch.as_tensor(p))
        return float(profile[:8].sum() / profile.sum())
    noise = label_spectrum(torch.from_numpy(rng.integers(0, 4, (1, 64, 48))), 4)[0]
    assert low_share(power) > 0.8 and low_share(noise) < 0.4


def test_label_energy_is_the_number_of_labelled_pixels():
    labels = torch.randint(0, 3, (2, 9, 10))
    labels[0, :3] = 255
    power = label_spectrum(labels, 3)
    torch.testing.assert_close(power.sum((1, 2)), (labels != 255).sum((1, 2)).double())


def test_cutoffs_keep_the_truncated_sum_within_the_allowed_error_from_there_on():
    freqs = torch.arange(5) / 10
    profile = torch.tensor([5., 3., -1., 2.5, 0.5])  # total 10; cumulative 5 8 7 9.5 10
    cutoffs = cutoff_frequencies(profile, freqs, (0.45, 0.75, 0.9, 1.0))
    assert cutoffs == pytest.approx({0.45: 0.0, 0.75: 0.3, 0.9: 0.3, 1.0: 0.4})
    # overshoot: DC above the total, higher rings bring it down (the CE's usual shape)
    overshoot = torch.tensor([2.0, -0.5, -0.4, -0.1])
    assert cutoff_frequencies(overshoot, freqs[:4], (0.4, 0.85)) == pytest.approx(
        {0.4: 0.1, 0.85: 0.2})


def test_bad_labels_are_named():
    with pytest.raises(ValueError, match=r'outside \[0, 3\).*\[7\]'):
        cross_entropy_spectrum(torch.zeros(1, 3, 2, 2), torch.tensor([[[0, 7], [1, 255]]]))
    with pytest.raises(ValueError, match='one grid'):
        cross_entropy_spectrum(torch.zeros(1, 3, 2, 2), torch.zeros(1, 3, 3, dtype=torch.long))
