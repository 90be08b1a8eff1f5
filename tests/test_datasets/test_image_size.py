"""Issue row 'a 15000 x 15000 PNG of 656 KB in a training set': images above the pixel limit
are refused from their header, before decoding, with the dataset's named error, and skipped
under SkipUnreadable. The header is read by Pillow; mmseg's stock dataset and pipeline read
the samples."""
import struct
import zlib

import pytest
from mmengine.registry import init_default_scope

from mmfreqkd.compat import DataSampleError
from mmfreqkd.datasets import TEXSEG_CLASSES, prepare
from mmfreqkd.datasets.image_size import MAX_PIXELS_ENV, image_pixels


def _png_header_only(path, width, height):
    """A PNG whose header announces ``width`` x ``height`` grey pixels; its data is a stub,
    so nothing of that size is ever held here."""
    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data
                + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))
    ihdr = struct.pack('>IIBBBBB', width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr)
                     + chunk(b'IDAT', zlib.compress(b'\x00' * 64)) + chunk(b'IEND', b''))


def _dataset(root, skip=False):
    from mmseg.datasets import BaseSegDataset
    init_default_scope('mmseg')
    loading = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations')]
    pipeline = ([dict(type='mmfreqkd.SkipUnreadable', transforms=loading)] if skip else loading)
    return BaseSegDataset(
        data_root=root, data_prefix=dict(img_path='img_dir/train', seg_map_path='ann_dir/train'),
        img_suffix='.png', seg_map_suffix='.png', metainfo=dict(classes=TEXSEG_CLASSES),
        pipeline=pipeline + [dict(type='PackSegInputs')])


@pytest.fixture
def huge_first_image(tmp_path):
    root = prepare('texseg', str(tmp_path), n_train=4, n_val=1)
    _png_header_only(tmp_path / 'texseg' / 'img_dir' / 'train' / '00000.png', 15000, 15000)
    return root


@pytest.mark.parametrize('side', [15000, 30000])
def test_the_header_tells_the_size(tmp_path, side):
    _png_header_only(tmp_path / 'a.png', side, side)
    assert image_pixels(str(tmp_path / 'a.png')) == side * side
    assert image_pixels(__file__) is None  # not an image


def test_an_image_above_the_limit_is_refused_before_decoding(huge_first_image):
    dataset = _dataset(huge_first_image)
    with pytest.raises(DataSampleError, match=r"BaseSegDataset .* could not load sample 0: .*"
                       r"ImageTooLargeError: img_path='.*00000\.png': 2\.25e\+08 pixels, above "
                       r"the limit of 1e\+08 pixels; it was not decoded\. Raise "
                       rf"\${MAX_PIXELS_ENV}"):
        dataset[0]
    assert dataset[1]['inputs'].shape == (3, 64, 64)


def test_skip_unreadable_skips_it(huge_first_image, caplog):
    dataset = _dataset(huge_first_image, skip=True)
    sample = dataset[0]  # another sample is drawn in its place
    assert sample['inputs'].shape == (3, 64, 64)
    skipper = dataset.pipeline.transforms[0]
    assert skipper.skipped == 1


def test_the_limit_is_configurable(tmp_path, monkeypatch):
    root = prepare('texseg', str(tmp_path), n_train=2, n_val=1)
    monkeypatch.setenv(MAX_PIXELS_ENV, str(64 * 64 - 1))
    with pytest.raises(DataSampleError, match=r'4\.1e\+03 pixels, above the limit of 4\.1e\+03'):
        _dataset(root)[0]
    monkeypatch.setenv(MAX_PIXELS_ENV, str(64 * 64))
    assert _dataset(root)[0]['inputs'].shape == (3, 64, 64)
