"""BlockwiseLabel: block majorities against scipy.stats.mode, idempotence, ignore blocks, and
use in a stock mmseg pipeline."""
import numpy as np
import pytest
from scipy import stats

from mmfreqkd.analysis import BlockwiseLabel, blockwise_majority


def _reference(labels, block, ignore=255):
    """Per block: scipy's mode of the non-ignored labels (smallest on ties), else ignore."""
    out = np.empty_like(labels)
    for y in range(0, labels.shape[0], block):
        for x in range(0, labels.shape[1], block):
            cell = labels[y:y + block, x:x + block]
            valid = cell[cell != ignore]
            out[y:y + block, x:x + block] = stats.mode(valid).mode if valid.size else ignore
    return out


@pytest.mark.parametrize('block', [1, 2, 4, 7, 16])
@pytest.mark.parametrize('shape', [(32, 32), (30, 45), (5, 3)])
def test_majorities_match_scipy_mode(block, shape):
    rng = np.random.default_rng(block)
    labels = rng.integers(0, 4, shape).astype(np.uint8)  # few classes: many ties
    labels[rng.random(shape) < 0.3] = 255
    labels[:min(block, shape[0]), :min(block, shape[1])] = 255  # one all-ignore block
    out = blockwise_majority(labels, block)
    assert out.dtype == labels.dtype and out.shape == labels.shape
    np.testing.assert_array_equal(out, _reference(labels, block))
    assert (out[:min(block, shape[0]), :min(block, shape[1])] == 255).all()


def test_idempotent_and_constant_per_block():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 19, (64, 48)).astype(np.uint8)
    once = blockwise_majority(labels, 8)
    np.testing.assert_array_equal(blockwise_majority(once, 8), once)
    blocks = once.reshape(8, 8, 6, 8).transpose(0, 2, 1, 3).reshape(48, 64)
    assert (blocks == blocks[:, :1]).all()


def test_transform_in_a_stock_mmseg_pipeline_leaves_the_image(tmp_path):
    import mmcv
    from mmcv.transforms import Compose
    from mmengine.registry import init_default_scope
    init_default_scope('mmseg')
    rng = np.random.default_rng(0)
    image = rng.integers(0, 255, (20, 24, 3)).astype(np.uint8)
    labels = rng.integers(0, 3, (20, 24)).astype(np.uint8)
    mmcv.imwrite(image, str(tmp_path / 'img.png'))
    mmcv.imwrite(labels, str(tmp_path / 'ann.png'))
    pipeline = Compose([
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='mmfreqkd.BlockwiseLabel', block_size=4)])
    results = pipeline(dict(img_path=str(tmp_path / 'img.png'),
                            seg_map_path=str(tmp_path / 'ann.png'), reduce_zero_label=False,
                            seg_fields=[]))
    np.testing.assert_array_equal(results['img'], image)
    np.testing.assert_array_equal(results['gt_seg_map'], _reference(labels, 4))


def test_bad_settings_are_named():
    with pytest.raises(ValueError, match='block_size'):
        BlockwiseLabel(block_size=0)
    with pytest.raises(KeyError, match='LoadAnnotations'):
        BlockwiseLabel(block_size=2)(dict(img=np.zeros((2, 2))))
