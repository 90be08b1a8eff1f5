"""Block-wise weak annotation (Chen, Chiu and Wu, "Spectral Analysis for Semantic Segmentation",
arXiv 2012.14123; docs/methods/spectral.md): every b x b block of a label map gets one label,
which keeps the low-frequency part of the map that the cross-entropy mostly depends on and is
cheap to annotate.
"""
import numpy as np
from mmcv.transforms import BaseTransform

from ..registry import TRANSFORMS

__all__ = ['blockwise_majority', 'BlockwiseLabel']


def blockwise_majority(labels: np.ndarray, block: int, ignore_index: int = 255) -> np.ndarray:
    """Replace every ``block x block`` block of an (H, W) label map by its majority class.

    Blocks are aligned to the top-left corner (the last row and column of blocks may be
    partial). The majority counts non-ignored pixels only; ties go to the lowest class index;
    a block of ignored pixels only stays ignored. Vectorised: one ``bincount`` over all blocks.

    Examples:
        >>> labels = np.array([[0, 1, 2, 2], [1, 1, 255, 2], [255, 255, 3, 0], [255, 255, 0, 3]])
        >>> blockwise_majority(labels, 2)
        array([[  1,   1,   2,   2],
               [  1,   1,   2,   2],
               [255, 255,   0,   0],
               [255, 255,   0,   0]])
    """
    if labels.ndim != 2:
        raise ValueError(f'labels must be an (H, W) map, got shape {labels.shape}')
    if block < 1:
        raise ValueError(f'block size must be >= 1, got {block}')
    h, w = labels.shape
    nh, nw = -(-h // block), -(-w // block)
    padded = np.full((nh * block, nw * block), ignore_index, dtype=np.int64)
    padded[:h, :w] = labels
    blocks = padded.reshape(nh, block, nw, block).transpose(0, 2, 1, 3).reshape(nh * nw, -1)
    valid = blocks != ignore_index
    if (blocks[valid] < 0).any():
        raise ValueError(f'labels must be >= 0 apart from ignore_index={ignore_index}')
    n_classes = int(blocks[valid].max()) + 1 if valid.any() else 1
    block_id = np.broadcast_to(np.arange(nh * nw)[:, None], blocks.shape)
    counts = np.bincount((block_id * n_classes + blocks)[valid],
                         minlength=nh * nw * n_classes).reshape(nh * nw, n_classes)
    majority = np.where(valid.any(1), counts.argmax(1), ignore_index)
    out = np.repeat(np.repeat(majority.reshape(nh, nw), block, 0), block, 1)[:h, :w]
    return out.astype(labels.dtype)


@TRANSFORMS.register_module()
class BlockwiseLabel(BaseTransform):
    """mmseg data transform: block-wise weak labels from ``results['gt_seg_map']``.

    Put it right after ``LoadAnnotations`` so that blocks are cut on the annotated image, as an
    annotator would, before any resizing or cropping; the image is untouched.

    Args:
        block_size: b, the block side in label pixels.
        ignore_index: the unlabelled value (mmseg's 255).

    Required keys: ``gt_seg_map``. Modified keys: ``gt_seg_map``.

    Examples:
        >>> t = BlockwiseLabel(block_size=2)
        >>> t(dict(gt_seg_map=np.array([[0, 1], [1, 1]], np.uint8)))['gt_seg_map']
        array([[1, 1],
               [1, 1]], dtype=uint8)
    """

    def __init__(self, block_size: int, ignore_index: int = 255) -> None:
        if not isinstance(block_size, int) or block_size < 1:
            raise ValueError(f'BlockwiseLabel: block_size must be an int >= 1, got '
                             f'{block_size!r}')
        self.block_size, self.ignore_index = block_size, ignore_index

    def transform(self, results: dict) -> dict:
        if 'gt_seg_map' not in results:
            raise KeyError('BlockwiseLabel needs results["gt_seg_map"]: put it after '
                           "dict(type='LoadAnnotations') in the pipeline")
        results['gt_seg_map'] = blockwise_majority(results['gt_seg_map'], self.block_size,
                                                   self.ignore_index)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(block_size={self.block_size}, '
                f'ignore_index={self.ignore_index})')
