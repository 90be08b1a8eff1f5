"""Synthetic degradations of clean photographs for the embedded restoration set, each drawn
from a seeded generator. Each takes and returns an (H, W, 3) image in [0, 255] (float in,
uint8 out) and follows the usual synthesis of the public benchmarks:

* ``rain``: thin bright streaks at one random angle, blurred and added (Rain100/Rain1400 are
  made the same way, from rendered streak layers);
* ``blur``: a linear motion kernel (length 5-11 px, random angle; GoPro's blur comes from real
  motion) or a defocus disk (radius 1.5-3 px), half the images each;
* ``noise``: additive Gaussian noise (sigma 10-25) or Poisson (shot) noise at a peak of 20-60
  photons, half each;
* ``haze``: the atmospheric scattering model ``I = J t + A (1 - t)`` with transmission
  ``t = exp(-beta d)`` over a smooth random depth map ``d`` in [0, 1] growing towards the top
  of the image, ``beta`` 0.6-1.6 and a grey airlight ``A`` of 200-250 (as RESIDE synthesises
  its hazy images, there from estimated depth).
"""
from typing import Callable, Dict

import cv2
import numpy as np

from .textures import smooth_background

__all__ = ['DEGRADATIONS', 'degrade']


def _to_uint8(img: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def rain(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w = img.shape[:2]
    streaks = np.zeros((h, w), np.float32)
    angle = np.deg2rad(rng.uniform(-20, 20))
    for _ in range(int(rng.integers(15, 30) * h * w / 64 ** 2)):
        x, y, length = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(6, 14)
        end = (int(x + length * np.sin(angle)), int(y + length * np.cos(angle)))
        cv2.line(streaks, (int(x), int(y)), end, float(rng.uniform(0.4, 0.8)), 1)
    return _to_uint8(img + 255 * 0.6 * cv2.GaussianBlur(streaks, (3, 3), 0.6)[..., None])


def _motion_kernel(rng: np.random.Generator) -> np.ndarray:
    length = int(rng.integers(5, 12))
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1
    rotation = cv2.getRotationMatrix2D(((length - 1) / 2, (length - 1) / 2),
                                       rng.uniform(0, 180), 1.0)
    kernel = cv2.warpAffine(kernel, rotation, (length, length))
    return kernel / kernel.sum()


def _defocus_kernel(rng: np.random.Generator) -> np.ndarray:
    radius = rng.uniform(1.5, 3.0)
    r = int(np.ceil(radius))
    y, x = np.mgrid[-r:r + 1, -r:r + 1]
    kernel = (x ** 2 + y ** 2 <= radius ** 2).astype(np.float32)
    return kernel / kernel.sum()


def blur(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    kernel = _motion_kernel(rng) if rng.random() < 0.5 else _defocus_kernel(rng)
    return _to_uint8(cv2.filter2D(img.astype(np.float32), -1, kernel,
                                  borderType=cv2.BORDER_REFLECT))


def noise(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if rng.random() < 0.5:
        return _to_uint8(img + rng.normal(0, rng.uniform(10, 25), size=img.shape))
    peak = rng.uniform(20, 60)
    return _to_uint8(rng.poisson(np.clip(img, 0, 255) / 255 * peak) / peak * 255)


def haze(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w = img.shape[:2]
    depth = 0.5 * smooth_background(h, w, rng) + 0.5 + np.linspace(0.5, -0.5, h)[:, None]
    depth = (depth - depth.min()) / (np.ptp(depth) + 1e-6)
    transmission = np.exp(-rng.uniform(0.6, 1.6) * depth)[..., None]
    airlight = rng.uniform(200, 250)
    return _to_uint8(img * transmission + airlight * (1 - transmission))


#: The degradations, in the order the generator applies them to each clean image.
DEGRADATIONS: Dict[str, Callable[[np.ndarray, np.random.Generator], np.ndarray]] = dict(
    rain=rain, blur=blur, noise=noise, haze=haze)


def degrade(kind: str, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``DEGRADATIONS[kind](img, rng)``, with an error naming the known kinds."""
    if kind not in DEGRADATIONS:
        raise KeyError(f'unknown degradation {kind!r}; choose from {sorted(DEGRADATIONS)}')
    return DEGRADATIONS[kind](img, rng)
