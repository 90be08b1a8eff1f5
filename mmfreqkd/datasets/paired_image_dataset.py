"""Paired restoration data (a degraded image and its clean target) in the layouts the public
benchmarks ship, read by one dataset class, and the transforms that load and pack a pair.

Layouts (``layout=``), relative to ``data_root``:

=================  ===========================================  ==============================
layout             degraded / clean                             partner of a degraded file
=================  ===========================================  ==============================
``input_target``   ``input/NAME``, ``target/NAME``              the same name (Rain13K and
                                                                its test sets, Rain100H/L...)
``gopro``          ``SEQ/blur/NAME``, ``SEQ/sharp/NAME``        the same name, per sequence
``sidd``           ``SCENE/NOISY_*``, ``SCENE/GT_*``            ``NOISY`` -> ``GT`` in the name
``reside``         ``hazy/ID_*``, ``clear/ID.*``                the image ``ID`` (text before
                                                                the first ``_``) in ``clear/``
``folders``        ``<degraded>/NAME``, ``<clean>/NAME``        the same name (the embedded
                                                                ``restore`` set: ``rain/``,
                                                                ``clean/``)
=================  ===========================================  ==============================

A degraded file without its partner is an error that names both paths; a pair whose sizes or
channel counts differ is one when it is loaded (:class:`LoadImagePair`).
"""
import glob
import os.path as osp
from typing import Dict, List, Optional

import mmcv
import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.dataset import BaseDataset
from mmengine.structures import BaseDataElement

from ..registry import DATASETS, TRANSFORMS

__all__ = ['PairedImageDataset', 'LoadImagePair', 'PackImagePair', 'PairedRandomCrop',
           'PairedRandomFlip', 'LAYOUTS']

_IMAGE_SUFFIXES = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff')
#: the layouts of the module docstring
LAYOUTS = ('input_target', 'gopro', 'sidd', 'reside', 'folders')


def _images(pattern: str) -> List[str]:
    return sorted(p for p in glob.glob(pattern) if p.lower().endswith(_IMAGE_SUFFIXES))


@DATASETS.register_module()
class PairedImageDataset(BaseDataset):
    """Pairs of a degraded image (``img_path``) and its clean target (``gt_path``).

    Args:
        layout: one of :data:`LAYOUTS` (the table of the module docstring).
        degraded: the degraded folder of the ``folders`` layout (e.g. ``'rain'``).
        clean: the clean folder of the ``folders`` layout (default ``'clean'``).
        **kwargs: mmengine ``BaseDataset`` arguments (``data_root``, ``pipeline``, ...).
    """

    def __init__(self, layout: str = 'input_target', degraded: Optional[str] = None,
                 clean: str = 'clean', **kwargs) -> None:
        if layout not in LAYOUTS:
            raise ValueError(f'PairedImageDataset: layout must be one of {LAYOUTS}, got '
                             f'{layout!r}')
        if layout == 'folders' and not degraded:
            raise ValueError("PairedImageDataset: layout='folders' needs `degraded` (the "
                             "degraded images' folder, e.g. 'rain')")
        self.layout, self.degraded, self.clean = layout, degraded, clean
        super().__init__(**kwargs)

    def load_data_list(self) -> List[Dict]:
        root = self.data_root
        if not osp.isdir(root):
            raise FileNotFoundError(f'PairedImageDataset: data_root={root!r} is not a folder')
        pairs = [self._pair(path) for path in _images(osp.join(root, *self._degraded_glob()))]
        if not pairs:
            raise FileNotFoundError(
                f'PairedImageDataset: no degraded images in {root!r} for layout='
                f'{self.layout!r} (looked for {osp.join(*self._degraded_glob())})')
        return pairs

    def _degraded_glob(self) -> List[str]:
        return dict(input_target=['input', '*'], gopro=['*', 'blur', '*'],
                    sidd=['*', 'NOISY_*'], reside=['hazy', '*'],
                    folders=[self.degraded or '', '*'])[self.layout]

    def _pair(self, path: str) -> Dict:
        folder, name = osp.split(path)
        if self.layout == 'input_target':
            candidates = [osp.join(osp.dirname(folder), 'target', name)]
        elif self.layout == 'gopro':
            candidates = [osp.join(osp.dirname(folder), 'sharp', name)]
        elif self.layout == 'sidd':
            candidates = [osp.join(folder, name.replace('NOISY', 'GT', 1))]
        elif self.layout == 'reside':
            stem = osp.splitext(name)[0].split('_')[0]
            candidates = [osp.join(osp.dirname(folder), 'clear', stem + suffix)
                          for suffix in ('.png', '.jpg')]
        else:
            candidates = [osp.join(osp.dirname(folder), self.clean, name)]
        gt = next((c for c in candidates if osp.isfile(c)), None)
        if gt is None:
            raise FileNotFoundError(
                f'PairedImageDataset (layout={self.layout!r}): {path} has no clean partner '
                f'(expected {" or ".join(candidates)})')
        return dict(img_path=path, gt_path=gt)


@TRANSFORMS.register_module()
class LoadImagePair(BaseTransform):
    """Read ``img_path`` and ``gt_path`` (uint8, colour in RGB order) into ``img`` and ``gt``;
    a pair of other sizes or channel counts is an error naming both files.

    Args:
        color_type: mmcv's ``imread`` flag; ``'unchanged'`` (default) keeps each file's
            channels, so a grey target of a colour input is found rather than converted.
    """

    def __init__(self, color_type: str = 'unchanged') -> None:
        self.color_type = color_type

    def _read(self, path: str, key: str) -> np.ndarray:
        image = mmcv.imread(path, flag=self.color_type, channel_order='rgb')
        if image is None:
            raise OSError(f'LoadImagePair: cannot read {key}={path!r}')
        if self.color_type == 'unchanged' and image.ndim == 3 and image.shape[2] == 3:
            image = mmcv.bgr2rgb(image)  # imread applies channel_order to 'color' only
        return image

    def transform(self, results: Dict) -> Dict:
        img, gt = (self._read(results[key], key) for key in ('img_path', 'gt_path'))
        if img.shape != gt.shape:
            kind = 'grey/colour' if img.ndim != gt.ndim or img.shape[2:] != gt.shape[2:] \
                else 'size'
            raise ValueError(f'LoadImagePair: {kind} mismatch between {results["img_path"]} '
                             f'{img.shape} and its target {results["gt_path"]} {gt.shape}')
        results.update(img=img, gt=gt, img_shape=img.shape[:2], ori_shape=img.shape[:2])
        return results


@TRANSFORMS.register_module()
class PackImagePair(BaseTransform):
    """``inputs``: the degraded image (C, H, W) uint8; ``data_samples``: a
    ``BaseDataElement`` with ``gt_img`` (C, H, W) and the paths and shapes as metainfo."""

    def transform(self, results: Dict) -> Dict:
        def chw(image: np.ndarray) -> torch.Tensor:
            image = image[..., None] if image.ndim == 2 else image
            return torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1)))

        sample = BaseDataElement(metainfo={k: results[k] for k in (
            'img_path', 'gt_path', 'img_shape', 'ori_shape') if k in results})
        sample.gt_img = chw(results['gt'])
        return dict(inputs=chw(results['img']), data_samples=sample)


@TRANSFORMS.register_module()
class PairedRandomCrop(BaseTransform):
    """The same random ``crop_size`` (h, w) window of ``img`` and ``gt`` (training patches of
    large restoration images); an image smaller than the window is an error naming it."""

    def __init__(self, crop_size) -> None:
        self.crop_size = (crop_size, crop_size) if isinstance(crop_size, int) \
            else tuple(crop_size)

    def transform(self, results: Dict) -> Dict:
        (h, w), (ch, cw) = results['img'].shape[:2], self.crop_size
        if h < ch or w < cw:
            raise ValueError(f'PairedRandomCrop: {results.get("img_path")} is {h}x{w}, smaller '
                             f'than the crop {ch}x{cw}')
        y, x = np.random.randint(0, h - ch + 1), np.random.randint(0, w - cw + 1)
        for key in ('img', 'gt'):
            results[key] = results[key][y:y + ch, x:x + cw]
        results['img_shape'] = (ch, cw)
        return results


@TRANSFORMS.register_module()
class PairedRandomFlip(BaseTransform):
    """Flip ``img`` and ``gt`` together: horizontally with probability ``prob``, and vertically
    with probability ``vertical_prob`` (the usual restoration augmentation)."""

    def __init__(self, prob: float = 0.5, vertical_prob: float = 0.0) -> None:
        self.prob, self.vertical_prob = prob, vertical_prob

    def transform(self, results: Dict) -> Dict:
        for axis, prob in ((1, self.prob), (0, self.vertical_prob)):
            if np.random.rand() < prob:
                for key in ('img', 'gt'):
                    results[key] = np.ascontiguousarray(np.flip(results[key], axis=axis))
        return results
