"""PSNR and SSIM against scikit-image's ``peak_signal_noise_ratio`` / ``structural_similarity``
(Gaussian-weighted, as Wang et al. 2004) and ``rgb2ycbcr``, on photographs scikit-image ships."""
import numpy as np
import pytest
import torch
from skimage import data
from skimage.color import rgb2ycbcr
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from mmfreqkd.evaluation import PSNR, SSIM, psnr, rgb_to_y, ssim


def _pair(name, seed):
    """(degraded, clean) uint8 RGB crops (H, W, 3) of a skimage photograph."""
    clean = getattr(data, name)()[:96, :120]
    rng = np.random.default_rng(seed)
    noisy = np.clip(clean + rng.normal(0, 12, clean.shape), 0, 255).astype(np.uint8)
    return noisy, clean


def _chw(img):
    return torch.from_numpy(img).permute(2, 0, 1).float()


def _crop(img, border):
    return img[border:-border, border:-border] if border else img


def _y(img):
    return rgb2ycbcr(img / 255.0)[..., 0]


@pytest.mark.parametrize('name', ['astronaut', 'chelsea'])
@pytest.mark.parametrize('border', [0, 4])
def test_psnr_and_ssim_equal_scikit_images(name, border):
    pred, gt = _pair(name, 0)
    ours = dict(
        psnr_rgb=psnr(_chw(pred), _chw(gt), crop_border=border),
        psnr_y=psnr(_chw(pred), _chw(gt), crop_border=border, y_channel=True),
        ssim_rgb=ssim(_chw(pred), _chw(gt), crop_border=border),
        ssim_y=ssim(_chw(pred), _chw(gt), crop_border=border, y_channel=True))
    p, g = _crop(pred, border), _crop(gt, border)
    py, gy = _crop(_y(pred), border), _crop(_y(gt), border)
    gauss = dict(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255)
    reference = dict(
        psnr_rgb=peak_signal_noise_ratio(g, p, data_range=255),
        psnr_y=peak_signal_noise_ratio(gy, py, data_range=255),
        ssim_rgb=structural_similarity(g, p, channel_axis=-1, **gauss),
        ssim_y=structural_similarity(gy, py, **gauss))
    for key in ours:
        assert ours[key] == pytest.approx(reference[key], rel=1e-9, abs=1e-9), key
    assert 0 < ours['ssim_rgb'] < 1 and ours['psnr_rgb'] > 20


def test_luma_is_scikit_images_bt601():
    _, gt = _pair('astronaut', 0)
    np.testing.assert_allclose(rgb_to_y(_chw(gt).double())[0].numpy(), _y(gt), rtol=1e-12)


def test_identical_images():
    _, gt = _pair('chelsea', 0)
    assert psnr(_chw(gt), _chw(gt)) == float('inf')
    assert ssim(_chw(gt), _chw(gt)) == pytest.approx(1.0)


def test_metrics_average_over_the_data_set_through_the_registry():
    from mmengine.registry import METRICS
    pairs = [_pair('astronaut', s) for s in range(3)]
    samples = [dict(pred_img=_chw(p), gt_img=_chw(g)) for p, g in pairs]
    for cls, function in ((PSNR, psnr), (SSIM, ssim)):
        metric = METRICS.build(dict(type=f'mmfreqkd.{cls.__name__}', crop_border=2,
                                    y_channel=True))
        assert isinstance(metric, cls)
        metric.process(None, samples[:2])
        metric.process(None, samples[2:])
        expected = np.mean([function(s['pred_img'], s['gt_img'], 2, True) for s in samples])
        assert metric.evaluate(3) == {cls.__name__: pytest.approx(expected)}


def test_bad_inputs_are_named():
    img = torch.zeros(3, 16, 16)
    with pytest.raises(ValueError, match=r'\(3, 16, 16\).*\(3, 16, 12\)'):
        psnr(img, torch.zeros(3, 16, 12))
    with pytest.raises(ValueError, match='needs RGB'):
        psnr(torch.zeros(1, 16, 16), torch.zeros(1, 16, 16), y_channel=True)
    with pytest.raises(ValueError, match='smaller than the 11x11 window'):
        ssim(torch.zeros(3, 12, 12), torch.zeros(3, 12, 12), crop_border=1)
    with pytest.raises(KeyError, match='data_sample.gt_img'):
        PSNR().process(None, [dict(pred_img=img)])
