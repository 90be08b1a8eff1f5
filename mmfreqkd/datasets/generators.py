"""Generators of the embedded data sets, each writing one split in a *stock* on-disk format.

=============  ==================================================  ==========================
set            format                                              read by
=============  ==================================================  ==========================
``texseg``     ``img_dir/<split>/*.png`` + ``ann_dir/<split>/*.png``  mmseg ``BaseSegDataset``
``densedet``   ``<split>/*.png`` + ``annotations/<split>.json``       mmdet ``CocoDataset``
``rotdet``     ``<split>/images/*.png`` + ``<split>/annfiles/*.txt``  mmrotate ``DOTADataset``
``restore``    ``<split>/{clean,rain,blur,noise,haze}/*.png``          ``PairedImageDataset``
``texcls``     ``<split>/<class>/*.png``                              mmpretrain ``CustomDataset``
=============  ==================================================  ==========================

Each ``generate_*(root, split, n, size, seed)`` is deterministic in ``seed``; image ``i`` of a
split uses the generator seeded with ``(seed, split, i)``, so sets can grow without changing
their first images.
"""
import functools
import json
import os
import os.path as osp
import zlib
from typing import Dict, List

import cv2
import numpy as np

from .degradations import DEGRADATIONS, degrade
from .textures import TEXTURES, smooth_background, texture, voronoi_labels

__all__ = [
    'TEXSEG_CLASSES', 'TEXSEG_PALETTE', 'DENSEDET_CLASSES', 'ROTDET_CLASSES', 'DEGRADATIONS',
    'generate_texseg',    'generate_densedet', 'generate_rotdet', 'generate_restore',
    'TEXCLS_SHAPES', 'TEXCLS_CLASSES', 'generate_texcls', 'RESTORE_PHOTOS'
]

TEXSEG_CLASSES = tuple(TEXTURES)
TEXSEG_PALETTE = [[230, 25, 75], [60, 180, 75], [0, 130, 200], [245, 130, 48], [145, 30, 180]]
DENSEDET_CLASSES = ('square', 'disk', 'triangle')
ROTDET_CLASSES = ('ship', 'vehicle')
TEXCLS_SHAPES = ('disk', 'square', 'triangle')
#: ``<shape>-<texture>``: 15 classes that differ by shape and by frequency content.
TEXCLS_CLASSES = tuple(f'{shape}-{name}' for shape in TEXCLS_SHAPES for name in TEXTURES)


def _rng(seed: int, split: str, index: int) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(split.encode()), index])


def _to_uint8(img: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def _write(path: str, img: np.ndarray) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    if not cv2.imwrite(path, img):
        raise OSError(f'could not write {path}')


def _write_rgb(path: str, img: np.ndarray) -> None:
    """Write an RGB image (files hold BGR for OpenCV)."""
    _write(path, np.ascontiguousarray(img[..., ::-1]))


def _textured_gray(h: int, w: int, rng: np.random.Generator, contrast: float) -> np.ndarray:
    return 128 + 25 * smooth_background(h, w, rng) + contrast * texture('speckle', h, w, rng)


def _tinted(gray: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Replicate a gray image to BGR with a random global tint (colour carries no class)."""
    tint = rng.uniform(0.8, 1.2, size=3)
    return _to_uint8(gray[..., None] * tint)


def generate_texseg(root: str, split: str, n: int, size: int, seed: int) -> None:
    """Texture segmentation: Voronoi regions, each filled with one of five textures.

    Classes share mean intensity and colour, so a model must use texture and orientation, i.e.
    the frequency content that SSTKD's contourlet branch decomposes.
    """
    for i in range(n):
        rng = _rng(seed, split, i)
        cells = voronoi_labels(size, size, int(rng.integers(3, 7)), rng)
        cell_class = rng.integers(0, len(TEXSEG_CLASSES), size=cells.max() + 1)
        label = cell_class[cells].astype(np.uint8)
        gray = 128 + 20 * smooth_background(size, size, rng)
        for c, name in enumerate(TEXSEG_CLASSES):
            gray += np.where(label == c, 55 * texture(name, size, size, rng), 0)
        gray += rng.normal(0, 6, size=gray.shape)
        _write(osp.join(root, 'img_dir', split, f'{i:05d}.png'), _tinted(gray, rng))
        _write(osp.join(root, 'ann_dir', split, f'{i:05d}.png'), label)


def _draw_shape(canvas: np.ndarray, cls: int, cx: float, cy: float, r: float,
                value: float) -> None:
    if DENSEDET_CLASSES[cls] == 'square':
        pts = np.array([[cx - r, cy - r], [cx + r, cy - r], [cx + r, cy + r], [cx - r, cy + r]])
    elif DENSEDET_CLASSES[cls] == 'disk':
        cv2.circle(canvas, (int(round(cx)), int(round(cy))), int(round(r)), value, -1)
        return
    else:
        pts = np.array([[cx, cy - r], [cx + r, cy + r], [cx - r, cy + r]])
    cv2.fillPoly(canvas, [np.round(pts).astype(np.int32)], value)


def _dense_centres(n_obj: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """Object centres drawn around 1-3 cluster centres: many small objects packed densely."""
    clusters = rng.uniform(0.2 * size, 0.8 * size, size=(int(rng.integers(1, 4)), 2))
    which = rng.integers(0, len(clusters), size=n_obj)
    return np.clip(clusters[which] + rng.normal(0, 0.15 * size, size=(n_obj, 2)), 4, size - 5)


def generate_densedet(root: str, split: str, n: int, size: int, seed: int) -> None:
    """Dense small-object detection: 12-40 shapes of 6-16 px per image, COCO json boxes."""
    images: List[Dict] = []
    annotations: List[Dict] = []
    for i in range(n):
        rng = _rng(seed, split, i)
        gray = _textured_gray(size, size, rng, contrast=10)
        n_obj = int(rng.integers(12, 41))
        for cx, cy in _dense_centres(n_obj, size, rng):
            cls = int(rng.integers(0, len(DENSEDET_CLASSES)))
            mask = np.zeros((size, size), np.uint8)
            _draw_shape(mask, cls, cx, cy, rng.uniform(3, 8), 1)
            ys, xs = np.nonzero(mask)
            if len(xs) < 9:
                continue
            gray[mask > 0] = rng.choice([rng.uniform(20, 70), rng.uniform(190, 240)])
            x0, y0, x1, y1 = xs.min(), ys.min(), xs.max() + 1, ys.max() + 1
            annotations.append(dict(
                id=len(annotations) + 1, image_id=i + 1, category_id=cls + 1,
                bbox=[float(x0), float(y0), float(x1 - x0), float(y1 - y0)],
                area=float(mask.sum()), iscrowd=0))
        name = f'{i:05d}.png'
        _write(osp.join(root, split, name), _tinted(gray, rng))
        images.append(dict(id=i + 1, file_name=name, width=size, height=size))
    coco = dict(images=images, annotations=annotations,
                categories=[dict(id=k + 1, name=c) for k, c in enumerate(DENSEDET_CLASSES)])
    os.makedirs(osp.join(root, 'annotations'), exist_ok=True)
    with open(osp.join(root, 'annotations', f'{split}.json'), 'w') as f:
        json.dump(coco, f)


def _rotated_box(rng: np.random.Generator, cls: str, size: int) -> np.ndarray:
    long_side, short_side = ((rng.uniform(14, 24), rng.uniform(5, 8)) if cls == 'ship' else
                             (rng.uniform(8, 12), rng.uniform(4, 6)))
    centre = rng.uniform(12, size - 12, size=2)
    angle = rng.uniform(0, 180)
    return cv2.boxPoints(((float(centre[0]), float(centre[1])), (long_side, short_side), angle))


def generate_rotdet(root: str, split: str, n: int, size: int, seed: int) -> None:
    """Oriented objects (elongated ships, small vehicles) in DOTA txt format."""
    for i in range(n):
        rng = _rng(seed, split, i)
        gray = _textured_gray(size, size, rng, contrast=8)
        occupied = np.zeros((size, size), bool)
        lines = []
        for _ in range(int(rng.integers(4, 16))):
            cls = ROTDET_CLASSES[int(rng.integers(0, len(ROTDET_CLASSES)))]
            pts = _rotated_box(rng, cls, size)
            mask = np.zeros((size, size), np.uint8)
            cv2.fillPoly(mask, [np.round(pts).astype(np.int32)], 1)
            if (occupied & (mask > 0)).any():
                continue  # DOTA objects do not overlap
            occupied |= mask > 0
            gray[mask > 0] = rng.uniform(185, 240) if cls == 'ship' else rng.uniform(20, 70)
            coords = ' '.join(f'{v:.1f}' for v in pts.reshape(-1))
            lines.append(f'{coords} {cls} 0')
        name = f'{i:05d}'
        _write(osp.join(root, split, 'images', f'{name}.png'), _tinted(gray, rng))
        os.makedirs(osp.join(root, split, 'annfiles'), exist_ok=True)
        with open(osp.join(root, split, 'annfiles', f'{name}.txt'), 'w') as f:
            f.write('\n'.join(lines) + ('\n' if lines else ''))


#: The photographs scikit-image ships (no download) that the restoration set crops.
RESTORE_PHOTOS = ('astronaut', 'chelsea', 'coffee', 'rocket', 'immunohistochemistry')
#: The share of each photograph's width (from the left) that train crops come from; val and test
#: crops come from the rest (val from its top half, test from its bottom half), so no val or
#: test pixel was seen in training, and no test pixel in validation.
RESTORE_TRAIN_SHARE = 0.75


@functools.lru_cache(maxsize=None)
def _photo(name: str) -> np.ndarray:
    from skimage import data
    return getattr(data, name)()[..., :3]


def generate_restore(root: str, split: str, n: int, size: int, seed: int) -> None:
    """Restoration pairs from real photographs: image ``i`` is a ``size`` crop of photograph
    ``i mod 5`` of :data:`RESTORE_PHOTOS` (randomly flipped), saved clean and with each of the
    degradations of :mod:`mmfreqkd.datasets.degradations` (rain, blur, noise, haze)."""
    for i in range(n):
        rng = _rng(seed, split, i)
        photo = _photo(RESTORE_PHOTOS[i % len(RESTORE_PHOTOS)])
        h, w = photo.shape[:2]
        cut = int(RESTORE_TRAIN_SHARE * w)
        x0, x1 = (cut, w - size) if split in ('val', 'test') else (0, cut - size)
        # val from the top half of the held-out part, test from its bottom half
        rows = {'val': (0, h // 2 - size), 'test': (h // 2, h - size)}
        y0, y1 = rows.get(split, (0, h - size))
        x, y = int(rng.integers(x0, x1 + 1)), int(rng.integers(y0, y1 + 1))
        clean = photo[y:y + size, x:x + size]
        if rng.random() < 0.5:
            clean = clean[:, ::-1]
        clean = clean.astype(np.float32)
        _write_rgb(osp.join(root, split, 'clean', f'{i:05d}.png'), _to_uint8(clean))
        for kind in DEGRADATIONS:
            _write_rgb(osp.join(root, split, kind, f'{i:05d}.png'), degrade(kind, clean, rng))


def generate_texcls(root: str, split: str, n: int, size: int, seed: int) -> None:
    """Texture-and-shape classification: one shape filled with one texture on a background of
    another texture at half its contrast, under noise; the class is the (shape, texture) pair,
    so a model needs both the outline (seen only as a change of texture) and the frequency
    content. Image i has class ``i mod 15`` (balanced splits). The contrasts set the difficulty:
    equal contrasts make the outline a pure texture boundary, which a small CNN barely learns
    and a small transformer not at all; these leave room between a narrow and a wide model."""
    names = tuple(TEXTURES)
    for i in range(n):
        rng = _rng(seed, split, i)
        cls = i % len(TEXCLS_CLASSES)
        shape, fill = TEXCLS_SHAPES[cls // len(names)], names[cls % len(names)]
        mask = np.zeros((size, size), np.float32)
        radius = rng.uniform(0.2, 0.35) * size
        cx, cy = rng.uniform(radius, size - radius, size=2)
        _draw_shape(mask, DENSEDET_CLASSES.index(shape), cx, cy, radius, 1.0)
        background = names[(cls % len(names) + int(rng.integers(1, len(names)))) % len(names)]
        gray = 128 + 20 * smooth_background(size, size, rng)
        gray += (1 - mask) * 25 * texture(background, size, size, rng)
        gray += mask * 50 * texture(fill, size, size, rng)
        gray += rng.normal(0, 12, size=gray.shape)
        _write(osp.join(root, split, TEXCLS_CLASSES[cls], f'{i:05d}.png'), _tinted(gray, rng))
