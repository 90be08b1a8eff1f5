"""mmfreqkd.ops.pyramid: 9-7 filters as the contourlet toolbox defines them, exact inversion."""
import numpy as np
import pytest
import torch

from mmfreqkd.ops import laplacian_filters, laplacian_pyramid, laplacian_reconstruct

# pfilters('9-7') of the MATLAB contourlet toolbox (Do & Vetterli), as published with the toolbox.
TOOLBOX_H = [0.037828455506995, -0.023849465019380, -0.11062440441842, 0.37740285561265,
             0.85269867900940, 0.37740285561265, -0.11062440441842, -0.023849465019380,
             0.037828455506995]
TOOLBOX_G = [-0.064538882628938, -0.040689417609558, 0.41809227322221, 0.78848561640566,
             0.41809227322221, -0.040689417609558, -0.064538882628938]


def test_filters_are_the_toolbox_9_7_pair():
    h, g = laplacian_filters('9-7')
    np.testing.assert_allclose(h, TOOLBOX_H, atol=1e-11)
    np.testing.assert_allclose(g, TOOLBOX_G, atol=1e-11)
    np.testing.assert_allclose([sum(h), sum(g)], [2**0.5, 2**0.5])


@pytest.mark.parametrize('size', [(1, 1), (2, 3), (16, 16), (33, 20), (97, 131)])
@pytest.mark.parametrize('mode', ['reflect', 'symmetric', 'periodic'])
def test_exact_reconstruction_any_size(size, mode):
    x = torch.randn(2, 3, *size, dtype=torch.float64)
    bands = laplacian_pyramid(x, 3, mode=mode)
    half = ((size[0] + 1) // 2, (size[1] + 1) // 2)
    assert [tuple(b.shape[-2:]) for b in bands[:2]] == [size, half]
    torch.testing.assert_close(laplacian_reconstruct(bands, mode=mode), x, atol=1e-12, rtol=0)


SCIPY_MODES = {'reflect': 'mirror', 'symmetric': 'reflect', 'periodic': 'wrap'}


@pytest.mark.parametrize('mode', sorted(SCIPY_MODES))
@pytest.mark.parametrize('size', [(16, 16), (13, 7), (3, 2)])
def test_one_level_matches_scipy_filtering(mode, size):
    """low = down2(h * a), b = a - g * up2(low), each filter applied along both axes with
    scipy.ndimage's boundary extension of the same meaning."""
    ndimage = pytest.importorskip('scipy.ndimage')
    a = np.random.default_rng(0).standard_normal(size)

    def sep(x, taps):
        for axis in (0, 1):
            x = ndimage.correlate1d(x, taps, axis=axis, mode=SCIPY_MODES[mode])
        return x
    low = sep(a, TOOLBOX_H)[::2, ::2]
    up = np.zeros(size)
    up[::2, ::2] = low
    band = a - sep(up, TOOLBOX_G)
    ours = laplacian_pyramid(torch.from_numpy(a)[None, None], 1, mode=mode)
    np.testing.assert_allclose(ours[1][0, 0].numpy(), low, atol=1e-10)
    np.testing.assert_allclose(ours[0][0, 0].numpy(), band, atol=1e-10)


def test_bandpass_has_zero_mean_on_a_constant_and_a_ramp():
    """The 9-7 pair reproduces constants and ramps: their band-pass vanishes (interior)."""
    yy, xx = torch.meshgrid(torch.arange(32.), torch.arange(32.), indexing='ij')
    for img in (torch.full((32, 32), 3.0), 0.5 * xx + 0.25 * yy):
        bands = laplacian_pyramid(img[None, None].double(), 1, mode='reflect')
        assert bands[0][..., 8:-8, 8:-8].abs().max() < 1e-9


def test_gradcheck():
    x = torch.randn(1, 2, 9, 8, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda t: torch.cat([b.flatten() for b in laplacian_pyramid(t, 2)]), (x, ))


def test_half_precision_and_errors():
    x = torch.randn(1, 2, 16, 16)
    out = laplacian_pyramid(x.half(), 2)
    assert out[0].dtype == torch.float16
    torch.testing.assert_close(out[0].float(), laplacian_pyramid(x, 2)[0], atol=0.02, rtol=0.02)
    with pytest.raises(ValueError, match="'9-7'"):
        laplacian_pyramid(x, 1, filters='pkva')
    with pytest.raises(ValueError, match='levels'):
        laplacian_pyramid(x, 0)
