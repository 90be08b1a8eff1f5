"""PSNR and SSIM for image restoration, as mmengine evaluator metrics.

The definitions are the ones restoration papers report (and scikit-image computes, which the
tests use as the reference): on 8-bit RGB images, optionally on the luma channel Y of ITU-R
BT.601 (``Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255`` for R, G, B in [0, 1], the
conversion of ``skimage.color.rgb2ycbcr``), after cropping ``crop_border`` pixels from each
side.

* PSNR: ``10 log10(255^2 / MSE)`` per image, in float64.
* SSIM (Wang et al., "Image quality assessment: from error visibility to structural
  similarity", TIP 2004, eq. 13): local statistics under an 11 x 11 Gaussian window of sigma 1.5,
  ``C1 = (0.01 * 255)^2``, ``C2 = (0.03 * 255)^2``, population (co)variances, averaged over the
  positions where the window fits inside the image and over the channels.

Each metric averages its per-image values over the data set.
"""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.evaluator import BaseMetric

from ..registry import METRICS

__all__ = ['rgb_to_y', 'psnr', 'ssim', 'PSNR', 'SSIM']

#: BT.601 luma of RGB in [0, 255]: offset and weights per 255 (as skimage.color.rgb2ycbcr)
_Y_OFFSET, _Y_WEIGHTS = 16.0, (65.481 / 255, 128.553 / 255, 24.966 / 255)


def rgb_to_y(img: torch.Tensor) -> torch.Tensor:
    """The BT.601 luma (1, H, W) of an RGB image (3, H, W) in [0, 255]; range [16, 235]."""
    weights = img.new_tensor(_Y_WEIGHTS).view(3, 1, 1)
    return _Y_OFFSET + (img * weights).sum(0, keepdim=True)


def _prepare(pred: torch.Tensor, gt: torch.Tensor, crop_border: int, y_channel: bool):
    if pred.shape != gt.shape or pred.dim() != 3:
        raise ValueError(f'restoration metrics compare images (C, H, W) of one shape, got '
                         f'prediction {tuple(pred.shape)} and ground truth {tuple(gt.shape)}')
    pred, gt = pred.double(), gt.double()
    if y_channel:
        if pred.shape[0] != 3:
            raise ValueError(f'y_channel=True needs RGB images, got {pred.shape[0]} channels')
        pred, gt = rgb_to_y(pred), rgb_to_y(gt)
    if crop_border:
        pred = pred[:, crop_border:-crop_border, crop_border:-crop_border]
        gt = gt[:, crop_border:-crop_border, crop_border:-crop_border]
    return pred, gt


def psnr(pred: torch.Tensor, gt: torch.Tensor, crop_border: int = 0,
         y_channel: bool = False) -> float:
    """PSNR (dB) of one image pair (C, H, W) in [0, 255]; ``inf`` for identical images."""
    pred, gt = _prepare(pred, gt, crop_border, y_channel)
    mse = torch.mean((pred - gt)**2)
    return float('inf') if mse == 0 else float(10 * torch.log10(255.0**2 / mse))


def _gaussian_window(sigma: float = 1.5, radius: int = 5) -> torch.Tensor:
    x = torch.arange(-radius, radius + 1, dtype=torch.float64)
    g = torch.exp(-x**2 / (2 * sigma**2))
    g = g / g.sum()
    return g[:, None] * g[None, :]


def ssim(pred: torch.Tensor, gt: torch.Tensor, crop_border: int = 0,
         y_channel: bool = False) -> float:
    """SSIM of one image pair (C, H, W) in [0, 255] (the module docstring's definition)."""
    pred, gt = _prepare(pred, gt, crop_border, y_channel)
    window = _gaussian_window().to(pred.device)[None, None]
    if min(pred.shape[-2:]) < window.shape[-1]:
        raise ValueError(f'ssim: an image of {tuple(pred.shape[-2:])} pixels after cropping is '
                         f'smaller than the {window.shape[-1]}x{window.shape[-1]} window')
    c1, c2 = (0.01 * 255)**2, (0.03 * 255)**2
    x, y = pred[:, None], gt[:, None]  # channels as a batch

    def local_mean(t):
        return F.conv2d(t, window)

    mu_x, mu_y = local_mean(x), local_mean(y)
    var_x = local_mean(x * x) - mu_x**2
    var_y = local_mean(y * y) - mu_y**2
    cov = local_mean(x * y) - mu_x * mu_y
    ssim_map = ((2 * mu_x * mu_y + c1) * (2 * cov + c2)) / (
        (mu_x**2 + mu_y**2 + c1) * (var_x + var_y + c2))
    return float(ssim_map.mean())


class _ImagePairMetric(BaseMetric):
    """A per-image score of ``pred_img`` against ``gt_img`` (tensors (C, H, W), RGB, in
    [0, 255]) of each data sample, averaged over the data set.

    Args:
        crop_border: pixels cropped from each side before scoring.
        y_channel: score the BT.601 luma instead of the RGB channels.
        prefix: the key prefix of the result (mmengine's evaluator convention).
    """
    name = ''
    default_prefix = ''  # the result keys are 'PSNR' / 'SSIM' unless a prefix is given

    def __init__(self, crop_border: int = 0, y_channel: bool = False,
                 collect_device: str = 'cpu', prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.crop_border, self.y_channel = crop_border, y_channel

    def score(self, pred: torch.Tensor, gt: torch.Tensor) -> float:
        raise NotImplementedError

    def process(self, data_batch, data_samples: Sequence) -> None:
        for sample in data_samples:
            self.results.append(
                self.score(_field(sample, 'pred_img').cpu(), _field(sample, 'gt_img').cpu()))

    def compute_metrics(self, results: list) -> dict:
        return {self.name: sum(results) / len(results)}


def _field(sample, key: str) -> torch.Tensor:
    value = sample.get(key) if hasattr(sample, 'get') else getattr(sample, key, None)
    if value is None:
        raise KeyError(f'a restoration metric reads data_sample.{key} (a (C, H, W) tensor in '
                       f'[0, 255]); the sample has none')
    return getattr(value, 'data', value)


@METRICS.register_module()
class PSNR(_ImagePairMetric):
    """Mean PSNR (dB) over the data set: :func:`psnr` per image."""
    name = 'PSNR'

    def score(self, pred: torch.Tensor, gt: torch.Tensor) -> float:
        return psnr(pred, gt, self.crop_border, self.y_channel)


@METRICS.register_module()
class SSIM(_ImagePairMetric):
    """Mean SSIM over the data set: :func:`ssim` per image."""
    name = 'SSIM'

    def score(self, pred: torch.Tensor, gt: torch.Tensor) -> float:
        return ssim(pred, gt, self.crop_border, self.y_channel)
