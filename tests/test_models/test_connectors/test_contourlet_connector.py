"""ContourletConnector: the contourlet of mmfreqkd.ops, band shapes for any size, clear errors."""
import pytest
import torch

from mmfreqkd.models.connectors import ContourletConnector
from mmfreqkd.ops import laplacian_reconstruct


@pytest.mark.parametrize('size', [(16, 16), (15, 13), (5, 3)])
def test_bands_reconstruct_the_input_for_sizes_not_divisible_by_2_to_the_levels(size):
    x = torch.randn(2, 4, *size, dtype=torch.float64)
    bands = ContourletConnector(levels=3, n_dirs=[8, 4, 2], standardize=False,
                                materialize=True)(x)
    assert [b.shape[2] for b in bands[:-1]] == [8, 4, 2]
    assert bands[0].shape[-2:] == size
    rec = laplacian_reconstruct([b.sum(2) for b in bands[:-1]] + [bands[-1]])
    torch.testing.assert_close(rec, x)


def test_clear_errors():
    with pytest.raises(ValueError, match='n_dirs'):
        ContourletConnector(levels=3, n_dirs=[8, 8])
    cdm = ContourletConnector(in_channels=256)
    with pytest.raises(ValueError, match=r'256 input channels.*\(2, 64, 8, 8\)'):
        cdm(torch.zeros(2, 64, 8, 8))
    with pytest.raises(ValueError, match=r'\(B, C, H, W\)'):
        cdm(torch.zeros(64, 8, 8))


def test_standardised_maps_make_the_bands_scale_invariant():
    x = torch.randn(2, 3, 12, 12, dtype=torch.float64)
    cdm = ContourletConnector(levels=2, n_dirs=4, eps=0, materialize=True)
    for a, b in zip(cdm(x), cdm(1e-4 * x + 7)):
        torch.testing.assert_close(a, b)


def test_lazy_levels_hold_the_materialised_sub_bands():
    x = torch.randn(2, 3, 11, 14)
    lazy = ContourletConnector(levels=2, n_dirs=[8, 4])(x)
    formed = ContourletConnector(levels=2, n_dirs=[8, 4], materialize=True)(x)
    for a, b in zip(lazy[:-1], formed[:-1]):
        assert a.shape == b.shape
        torch.testing.assert_close(a.materialize(), b)
    torch.testing.assert_close(lazy[-1], formed[-1])
