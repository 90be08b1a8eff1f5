"""BRISQUE's natural-scene statistics against piq's implementation (its feature functions; its
score needs downloaded SVM weights) on photographs scikit-image ships."""
import numpy as np
import pytest
import torch
from piq.brisque import _natural_scene_statistics
from piq.functional import imresize, rgb2yiq
from skimage import data

from mmfreqkd.models.extractors import aggd_fit, brisque_features, ggd_fit, mscn, paired_products

PHOTOS = ('astronaut', 'chelsea', 'coffee', 'camera')


def _luma(name, size=(96, 128)):
    """piq's grey conversion (rounded YIQ luma) of a photograph crop, (1, 1, H, W) float64."""
    img = torch.from_numpy(np.ascontiguousarray(getattr(data, name)()[:size[0], :size[1]]))
    img = img.double()
    if img.dim() == 2:
        return img[None, None]
    return torch.round(rgb2yiq(img.permute(2, 0, 1)[None])[:, :1])


@pytest.mark.parametrize('name', PHOTOS)
def test_first_scale_equals_piq(name):
    luma = _luma(name)
    ours = brisque_features(luma, scales=1, border='zeros', circular=True)[:, 0]
    torch.testing.assert_close(ours, _natural_scene_statistics(luma), rtol=0, atol=1e-10)


@pytest.mark.parametrize('name', PHOTOS)
def test_second_scale(name):
    """Scale 2 is scale 1 of the half-size image: equal to piq's on piq's own downscaling;
    our antialiased bicubic downscaling differs from piq's MATLAB-style one by less than
    0.01 per feature (shapes move by a few steps of the 0.001 table)."""
    luma = _luma(name)
    half = imresize(luma, sizes=(luma.shape[2] // 2, luma.shape[3] // 2))
    reference = _natural_scene_statistics(half)
    torch.testing.assert_close(brisque_features(half, scales=1, border='zeros', circular=True)
                               [:, 0], reference, rtol=0, atol=1e-10)
    ours = brisque_features(luma, scales=2, border='zeros', circular=True)[:, 0, 18:]
    assert (ours - reference).abs().max() < 0.01


def test_mscn_definition_and_valid_pairs():
    """MSCN with a replicated border against scipy's Gaussian filter (mode 'nearest', the
    window truncated at 3 px = 7x7); the border-free pairs are the products BRISQUE's code
    takes (M(:, 1:end-1) .* M(:, 2:end), ...)."""
    from scipy.ndimage import gaussian_filter
    luma = _luma('camera', (40, 50))
    img = luma[0, 0].numpy()
    mu = gaussian_filter(img, 7 / 6, mode='nearest', truncate=3 / (7 / 6))
    var = np.abs(gaussian_filter(img * img, 7 / 6, mode='nearest', truncate=3 / (7 / 6))
                 - mu * mu)
    expected = (img - mu) / (np.sqrt(var) + 1)
    m = mscn(luma)
    np.testing.assert_allclose(m[0, 0].numpy(), expected, atol=1e-8)
    h, v, d1, d2 = (p[0, 0].numpy() for p in paired_products(m))
    e = expected
    np.testing.assert_allclose(h, e[:, :-1] * e[:, 1:], atol=1e-8)
    np.testing.assert_allclose(v, e[:-1] * e[1:], atol=1e-8)
    np.testing.assert_allclose(d1, e[:-1, :-1] * e[1:, 1:], atol=1e-8)
    np.testing.assert_allclose(d2, e[1:, :-1] * e[:-1, 1:], atol=1e-8)


def test_fits_recover_known_shapes():
    """Moment fits of large samples of scipy's generalised normal recover its shape."""
    from scipy.stats import gennorm
    for beta in (0.8, 1.5, 2.0):
        sample = gennorm.rvs(beta, scale=0.7, size=(1, 1, 300, 300), random_state=0)
        shape, variance = ggd_fit(torch.from_numpy(sample))
        assert abs(shape.item() - beta) < 0.05
        assert abs(variance.item() - gennorm.var(beta, scale=0.7)) < 0.01
    # an AGGD of shape 1.2 with left scale 0.5 and right scale 1: magnitudes of a generalised
    # normal, negative with probability 0.5 / 1.5, negatives scaled by 0.5
    rng = np.random.default_rng(1)
    magnitude = np.abs(gennorm.rvs(1.2, size=(300, 300), random_state=1))
    sample = np.where(rng.random((300, 300)) < 1 / 3, -0.5 * magnitude, magnitude)
    shape, mean, left_var, right_var = aggd_fit(torch.from_numpy(sample)[None, None])
    assert abs(shape.item() - 1.2) < 0.02
    assert abs(mean.item() - sample.mean()) < 0.01  # the AGGD mean (scale difference term)
    assert abs(left_var.item() / right_var.item() - 0.25) < 0.02


def test_gradients():
    """The table lookup carries the implicit-function gradient of the exact root: gradcheck
    against finite differences of the continuous fit (tolerance: the table step)."""
    x = torch.rand(1, 1, 12, 12, dtype=torch.float64) * 255
    x.requires_grad_(True)
    features = brisque_features(x, scales=1)
    assert features.shape == (1, 1, 18)
    features.sum().backward()
    assert torch.isfinite(x.grad).all() and x.grad.abs().sum() > 0
    # the variance entries are smooth functions of the input: exact gradcheck
    torch.autograd.gradcheck(lambda t: brisque_features(t, scales=1)[..., 1], (x, ),
                             fast_mode=True)


def test_shape_gradient_matches_the_continuous_root():
    """d(shape)/d(input) equals the derivative of the exact (root-found) GGD shape."""
    from scipy.optimize import brentq
    from scipy.special import gamma as g

    def exact_shape(t):
        rho = (t ** 2).mean() / np.abs(t).mean() ** 2
        return brentq(lambda a: g(1 / a) * g(3 / a) / g(2 / a) ** 2 - rho, 0.2, 10)

    x = torch.randn(1, 1, 12, 12, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    x.requires_grad_(True)
    ggd_fit(x)[0].sum().backward()
    base = x.detach().numpy()[0, 0]
    step = 1e-5
    numeric = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        plus, minus = base.copy(), base.copy()
        plus[idx] += step
        minus[idx] -= step
        numeric[idx] = (exact_shape(plus) - exact_shape(minus)) / (2 * step)
    np.testing.assert_allclose(x.grad[0, 0].numpy(), numeric, rtol=0.02, atol=1e-4)


def test_named_errors():
    with pytest.raises(ValueError, match=r'\(B, C, H, W\)'):
        brisque_features(torch.rand(8, 8))
    with pytest.raises(ValueError, match='smaller than its 7x7 window'):
        brisque_features(torch.rand(1, 1, 12, 12), scales=2)
