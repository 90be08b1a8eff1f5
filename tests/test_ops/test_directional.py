"""mmfreqkd.ops.directional: a partition of unity whose wedges follow orientation."""
import math

import numpy as np
import pytest
import torch

from mmfreqkd.ops import contourlet, directional_split, laplacian_reconstruct, wedge_masks


@pytest.mark.parametrize('size', [(1, 1), (2, 3), (16, 16), (17, 30)])
@pytest.mark.parametrize('n_dirs', [1, 2, 4, 8, 16])
def test_wedges_partition_unity_and_subbands_sum_to_input(size, n_dirs):
    masks = wedge_masks(*size, n_dirs, dtype=torch.float64)
    torch.testing.assert_close(masks.sum(0), torch.ones(size, dtype=torch.float64))
    b = torch.randn(2, 3, *size, dtype=torch.float64)
    torch.testing.assert_close(directional_split(b, n_dirs).sum(2), b, atol=1e-12, rtol=0)


@pytest.mark.parametrize('n_dirs', [4, 8])
def test_an_oriented_sinusoid_lands_in_its_wedge(n_dirs):
    """A plane wave whose frequency vector points at angle k*pi/n lands in wedge k."""
    size = 64
    yy, xx = np.meshgrid(np.arange(size), np.arange(size), indexing='ij')
    for k in range(n_dirs):
        angle = k * math.pi / n_dirs
        fx, fy = np.round(10 * np.cos(angle)), np.round(10 * np.sin(angle))  # integer cycles
        wave = np.cos(2 * np.pi * (fx * xx + fy * yy) / size)
        d = directional_split(torch.from_numpy(wave)[None, None], n_dirs)[0, 0]
        energy = d.pow(2).sum((-2, -1))
        assert int(energy.argmax()) == k, (k, energy)
        assert energy[k] > 0.5 * energy.sum()


def test_contourlet_levels_directions_and_inversion():
    x = torch.randn(2, 4, 40, 36, dtype=torch.float64)
    subbands, coarse = contourlet(x, 3, n_dirs=[8, 8, 4])
    assert [tuple(s.shape) for s in subbands] == [(2, 4, 8, 40, 36), (2, 4, 8, 20, 18),
                                                  (2, 4, 4, 10, 9)]
    assert coarse.shape == (2, 4, 5, 5)
    rec = laplacian_reconstruct([s.sum(2) for s in subbands] + [coarse])
    torch.testing.assert_close(rec, x, atol=1e-10, rtol=0)
    with pytest.raises(ValueError, match='2 values for 3 levels'):
        contourlet(x, 3, n_dirs=[8, 8])


def test_gradcheck():
    b = torch.randn(1, 1, 6, 5, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: directional_split(t, 4), (b, ))
