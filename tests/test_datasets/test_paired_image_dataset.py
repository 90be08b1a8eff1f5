"""PairedImageDataset finds each benchmark layout's pairs, names a missing partner, and its
transforms load a pair as scikit-image reads it and refuse mismatched pairs."""
import os
import os.path as osp

import numpy as np
import pytest
from skimage import data, io

from mmfreqkd.compat import DataSampleError
from mmfreqkd.datasets import PairedImageDataset, prepare


def _write(path, image):
    os.makedirs(osp.dirname(path), exist_ok=True)
    io.imsave(path, image, check_contrast=False)


def _crop(i, size=32):
    return data.astronaut()[i * size:(i + 1) * size, :size]


#: layout -> (degraded path, clean path) of two pairs, relative to data_root
TREES = {
    'input_target': [('input/{i}.png', 'target/{i}.png')],
    'gopro': [('GOPR0{i}/blur/000{i}.png', 'GOPR0{i}/sharp/000{i}.png')],
    'sidd': [('0{i}_scene/NOISY_SRGB_010.PNG', '0{i}_scene/GT_SRGB_010.PNG')],
    'reside': [('hazy/{i}_1_0.8.png', 'clear/{i}.png')],
}


@pytest.mark.parametrize('layout', sorted(TREES))
def test_each_layout_pairs_degraded_and_clean(tmp_path, layout):
    (degraded, clean), = TREES[layout]
    expected = []
    for i in range(2):
        pair = (str(tmp_path / degraded.format(i=i)), str(tmp_path / clean.format(i=i)))
        _write(pair[0], _crop(i) // 2)
        _write(pair[1], _crop(i))
        expected.append(pair)
    dataset = PairedImageDataset(layout=layout, data_root=str(tmp_path))
    # (iterating stops at the end: an index past it is not reported as a bad sample)
    assert [(d['img_path'], d['gt_path']) for d in dataset] == sorted(expected)


def test_a_missing_partner_names_both_paths(tmp_path):
    _write(str(tmp_path / 'input' / 'a.png'), _crop(0))
    with pytest.raises(FileNotFoundError, match=r'input/a.png has no clean partner \(expected '
                       r'.*target/a.png\)'):
        PairedImageDataset(data_root=str(tmp_path))
    with pytest.raises(FileNotFoundError, match='no degraded images'):
        PairedImageDataset(layout='gopro', data_root=str(tmp_path))


def _pipeline_dataset(root):
    from mmengine.registry import DATASETS
    return DATASETS.build(dict(
        type='mmfreqkd.PairedImageDataset', data_root=root,
        pipeline=[dict(type='mmfreqkd.LoadImagePair'), dict(type='mmfreqkd.PackImagePair')]))


def test_pipeline_gives_the_files_pixels(tmp_path):
    _write(str(tmp_path / 'input' / 'a.png'), _crop(0) // 2)
    _write(str(tmp_path / 'target' / 'a.png'), _crop(0))
    item = _pipeline_dataset(str(tmp_path))[0]
    np.testing.assert_array_equal(item['inputs'].permute(1, 2, 0).numpy(),
                                  io.imread(str(tmp_path / 'input' / 'a.png')))
    np.testing.assert_array_equal(item['data_samples'].gt_img.permute(1, 2, 0).numpy(),
                                  _crop(0))
    assert item['data_samples'].img_shape == (32, 32)


@pytest.mark.parametrize('target,kind', [(_crop(0)[:16], 'size'),
                                         (_crop(0)[..., 0], 'grey/colour')])
def test_mismatched_pairs_are_refused_naming_both_files(tmp_path, target, kind):
    _write(str(tmp_path / 'input' / 'a.png'), _crop(0))
    _write(str(tmp_path / 'target' / 'a.png'), target)
    dataset = _pipeline_dataset(str(tmp_path))
    with pytest.raises(DataSampleError, match=f'{kind} mismatch between .*input/a.png .* and '
                       'its target .*target/a.png'):
        dataset[0]


def test_the_embedded_restore_set_reads_as_folders(tmp_path):
    root = prepare('restore', str(tmp_path), n_train=3, n_val=1)
    dataset = PairedImageDataset(layout='folders', degraded='rain',
                                 data_root=osp.join(root, 'train'))
    assert len(dataset) == 3
    assert all(d['gt_path'].endswith(osp.join('clean', osp.basename(d['img_path'])))
               for d in dataset)
    with pytest.raises(ValueError, match="layout='folders' needs `degraded`"):
        PairedImageDataset(layout='folders', data_root=root)


def test_paired_crop_and_flip_keep_the_pair_aligned():
    """A photograph as both images, the degraded one shifted in value: after the crop and the
    flips, the difference is still the constant shift everywhere."""
    from mmfreqkd.datasets import PairedRandomCrop, PairedRandomFlip
    clean = data.astronaut()[:100, :120]
    results = dict(img=clean.astype(np.int16) + 7, gt=clean.astype(np.int16), img_path='a.png')
    np.random.seed(0)
    for _ in range(5):
        out = PairedRandomFlip(prob=0.5, vertical_prob=0.5).transform(
            PairedRandomCrop((48, 64)).transform(dict(results)))
        assert out['img'].shape[:2] == (48, 64) and out['img_shape'] == (48, 64)
        assert (out['img'] - out['gt'] == 7).all()
        # the window is somewhere in the photograph
        crops = [clean[y:y + 48, x:x + 64] for y in range(53) for x in range(57)]
        patch = out['gt']
        assert any((c == p).all() for c in crops
                   for p in (patch, patch[::-1], patch[:, ::-1], patch[::-1, ::-1]))
    with pytest.raises(ValueError, match='a.png is 100x120, smaller than the crop 128x128'):
        PairedRandomCrop(128).transform(dict(results))
