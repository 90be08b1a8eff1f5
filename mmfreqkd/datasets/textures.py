"""Procedural texture and layout primitives shared by the embedded data sets.

Everything is a pure function of a ``numpy.random.Generator``, so a seed fixes every image.
"""
from typing import Tuple

import numpy as np

__all__ = ['TEXTURES', 'texture', 'voronoi_labels', 'smooth_background']


def _grid(h: int, w: int) -> Tuple[np.ndarray, np.ndarray]:
    return np.meshgrid(np.arange(h, dtype=np.float32), np.arange(w, dtype=np.float32),
                       indexing='ij')


def _grating(h, w, rng, angle_deg):
    yy, xx = _grid(h, w)
    period = rng.uniform(4.0, 7.0)
    theta = np.deg2rad(angle_deg + rng.uniform(-8, 8))
    phase = rng.uniform(0, 2 * np.pi)
    return np.sin(2 * np.pi * (xx * np.cos(theta) + yy * np.sin(theta)) / period + phase)


def _checker(h, w, rng):
    yy, xx = _grid(h, w)
    period = rng.uniform(5.0, 8.0)
    return np.sign(np.sin(np.pi * xx / period + rng.uniform(0, np.pi))
                   * np.sin(np.pi * yy / period + rng.uniform(0, np.pi)))


def _speckle(h, w, rng):
    return np.where(rng.random((h, w)) < 0.5, -1.0, 1.0).astype(np.float32)


#: name -> generator(h, w, rng) returning a zero-mean pattern in [-1, 1]. The classes of the
#: segmentation set are these textures: they share mean intensity, so only texture and
#: orientation (the frequency content) tell them apart.
TEXTURES = {
    'horizontal': lambda h, w, rng: _grating(h, w, rng, 90.0),
    'vertical': lambda h, w, rng: _grating(h, w, rng, 0.0),
    'diagonal': lambda h, w, rng: _grating(h, w, rng, 45.0),
    'checker': _checker,
    'speckle': _speckle,
}


def texture(name: str, h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A (h, w) float32 pattern of the named texture, zero mean, amplitude in [0.5, 1]."""
    return (rng.uniform(0.5, 1.0) * TEXTURES[name](h, w, rng)).astype(np.float32)


def voronoi_labels(h: int, w: int, n_cells: int, rng: np.random.Generator) -> np.ndarray:
    """Partition an (h, w) image into ``n_cells`` Voronoi cells; returns the cell index map."""
    seeds = rng.uniform(0, [h, w], size=(n_cells, 2)).astype(np.float32)
    yy, xx = _grid(h, w)
    dist = (yy[None] - seeds[:, 0, None, None])**2 + (xx[None] - seeds[:, 1, None, None])**2
    return dist.argmin(0)


def smooth_background(h: int, w: int, rng: np.random.Generator, n_freq: int = 3) -> np.ndarray:
    """A smooth random field in [-1, 1]: a sum of a few low-frequency cosines."""
    yy, xx = _grid(h, w)
    field = np.zeros((h, w), np.float32)
    for _ in range(n_freq):
        fy, fx = rng.uniform(0.2, 1.5, size=2) * 2 * np.pi / np.array([h, w])
        field += np.cos(fy * yy + fx * xx + rng.uniform(0, 2 * np.pi))
    return field / n_freq
