"""DS2SRefiner: the identity at initialisation for J = 1, 2, 3 and odd sizes, refined bands in
PyWavelets' wavedec2 layout, a module that learns, and the light variant's cost."""
import numpy as np
import pytest
import pywt
import torch

from mmfreqkd.models.connectors import DS2SRefiner, refiner_cost


@pytest.mark.parametrize('level', [1, 2, 3])
@pytest.mark.parametrize('size', [(14, 14), (13, 9)])
@pytest.mark.parametrize('light', [False, True])
def test_identity_at_initialisation_and_bands_in_pywt_layout(level, size, light):
    x = torch.randn(2, 4, *size, dtype=torch.float64)
    refiner = DS2SRefiner(4, level=level, light=light).double()
    refiner.eval()
    out = refiner(x)
    assert out.shape == x.shape and torch.allclose(out, x, atol=1e-12)
    reference = pywt.wavedec2(x.numpy(), 'haar', mode='zero', level=level, axes=(-2, -1))
    assert refiner.bands[0].shape == reference[0].shape
    for ours, theirs in zip(refiner.bands[1:], reference[1:]):
        assert [tuple(b.shape) for b in ours] == [b.shape for b in theirs]
    np.testing.assert_allclose(refiner.bands[0].detach().numpy(), reference[0], atol=1e-12)


@pytest.mark.parametrize('light', [False, True])
def test_it_learns_towards_a_target_map(light):
    torch.manual_seed(0)
    x, target = torch.randn(4, 8, 12, 12), torch.randn(4, 8, 12, 12)
    refiner = DS2SRefiner(8, level=2, light=light)
    optim = torch.optim.Adam(refiner.parameters(), lr=1e-2)
    first = None
    for _ in range(30):
        loss = (refiner(x) - target).pow(2).mean()
        first = first if first is not None else float(loss)
        optim.zero_grad()
        loss.backward()
        optim.step()
    assert float(loss) < 0.95 * first


def test_light_variant_costs_less():
    full, light = DS2SRefiner(256, level=2), DS2SRefiner(256, level=2, light=True)
    (p_full, f_full), (p_light, f_light) = (refiner_cost(m, (14, 14)) for m in (full, light))
    assert p_light < p_full / 10 and f_light < f_full


def test_wrong_channels_are_named():
    with pytest.raises(ValueError, match=r'built for 8 input channels.*\(1, 4, 6, 6\)'):
        DS2SRefiner(8)(torch.zeros(1, 4, 6, 6))
    with pytest.raises(ValueError, match='level must be >= 1'):
        DS2SRefiner(8, level=0)
