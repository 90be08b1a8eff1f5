"""The synthetic degradations of the embedded restoration set: each follows its physical model
on a real photograph and is reproducible from its seed."""
import numpy as np
import pytest
from skimage import data

from mmfreqkd.datasets.degradations import DEGRADATIONS, degrade


def _clean():
    return data.astronaut()[200:264, 250:314].astype(np.float32)


@pytest.mark.parametrize('kind', sorted(DEGRADATIONS))
def test_reproducible_and_visible(kind):
    clean = _clean()
    first = degrade(kind, clean, np.random.default_rng(3))
    second = degrade(kind, clean, np.random.default_rng(3))
    assert first.dtype == np.uint8 and first.shape == clean.shape
    np.testing.assert_array_equal(first, second)
    assert np.abs(first - clean).mean() > 1.0


def test_rain_only_adds_light():
    clean = _clean()
    rainy = degrade('rain', clean, np.random.default_rng(0)).astype(np.float32)
    assert (rainy >= np.minimum(clean, 255) - 0.5).all()


def test_blur_keeps_the_mean_and_removes_detail():
    clean = _clean()
    for seed in range(6):  # both kernels (motion, defocus) occur
        blurred = degrade('blur', clean, np.random.default_rng(seed)).astype(np.float32)
        assert abs(blurred.mean() - clean.mean()) < 1.0
        detail = [np.abs(np.diff(img, axis=1)).mean() for img in (clean, blurred)]
        assert detail[1] < 0.8 * detail[0]


def test_noise_is_zero_mean():
    clean = np.full((128, 128, 3), 120, np.float32)
    for seed in range(6):  # Gaussian and Poisson both occur
        noisy = degrade('noise', clean, np.random.default_rng(seed)).astype(np.float32)
        residual = noisy - clean
        assert abs(residual.mean()) < 1.5 and 5 < residual.std() < 40


def test_haze_follows_the_scattering_model():
    """I = J t + A (1 - t) with one transmission t per pixel for all channels: channel
    differences scale by t (I_r - I_g = t (J_r - J_g), the airlight cancels), t lies in (0, 1],
    and the airlight recovered from t is one grey level in the generator's range."""
    clean = data.chelsea()[100:164, 150:214].astype(np.float32)
    hazy = degrade('haze', clean, np.random.default_rng(0)).astype(np.float32)
    diff_clean = clean[..., 0] - clean[..., 2]
    usable = np.abs(diff_clean) > 40
    assert usable.sum() > 100
    t = (hazy[..., 0] - hazy[..., 2])[usable] / diff_clean[usable]
    assert (t > 0).all() and (t < 1.05).all()
    hazy_g, clean_g = hazy[..., 1][usable], clean[..., 1][usable]
    airlight = (hazy_g - t * clean_g) / np.maximum(1 - t, 1e-3)
    airlight = airlight[t < 0.8]  # well-conditioned pixels
    assert 195 < np.median(airlight) < 255 and np.percentile(np.abs(
        airlight - np.median(airlight)), 50) < 10


def test_unknown_kind_is_named():
    with pytest.raises(KeyError, match='choose from'):
        degrade('snow', _clean(), np.random.default_rng(0))
