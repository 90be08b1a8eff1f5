"""mmfreqkd.ops.wavelets against PyWavelets: every wavelet family, mode, level and odd size."""
import numpy as np
import pytest
import pywt
import torch

from mmfreqkd.ops import MODES, dwt2, idwt2, wavedec2, waverec2

WAVELETS = ['haar', 'db2', 'db4', 'sym4', 'coif1', 'bior2.2', 'rbio3.1']
SIZES = [(1, 1), (2, 3), (8, 8), (9, 7), (16, 17), (33, 20), (97, 131)]


def _flatten(coeffs):
    yield coeffs[0]
    for level in coeffs[1:]:
        yield from level


def _assert_like_pywt(ours, ref, tol):
    ours, ref = list(_flatten(ours)), list(_flatten(ref))
    assert len(ours) == len(ref)
    for a, r in zip(ours, ref):
        assert tuple(a.shape) == r.shape
        np.testing.assert_allclose(a.detach().double().numpy(), r, atol=tol, rtol=0)


@pytest.mark.parametrize('wavelet', WAVELETS)
@pytest.mark.parametrize('mode', MODES)
def test_wavedec2_and_waverec2_match_pywt_in_float64(wavelet, mode):
    gen = torch.Generator().manual_seed(0)
    for size in SIZES:
        for level in (1, 2, 3, 4):
            x = torch.randn(2, 3, *size, dtype=torch.float64, generator=gen)
            try:
                ref = pywt.wavedec2(x.numpy(), wavelet, mode=mode, level=level, axes=(-2, -1))
            except ValueError:  # PyWavelets refuses (reflect on length 1): so must we
                with pytest.raises(ValueError):
                    wavedec2(x, wavelet, level, mode)
                continue
            ours = wavedec2(x, wavelet, level, mode)
            _assert_like_pywt(ours, ref, 1e-10)
            rec_ref = pywt.waverec2(ref, wavelet, mode=mode, axes=(-2, -1))
            np.testing.assert_allclose(waverec2(ours, wavelet, mode).numpy(), rec_ref,
                                       atol=1e-10, rtol=0)
            # the round trip returns the input
            np.testing.assert_allclose(
                waverec2(ours, wavelet, mode, size=size).numpy(), x.numpy(), atol=1e-10,
                rtol=0)


@pytest.mark.parametrize('wavelet', ['haar', 'db2', 'bior2.2'])
@pytest.mark.parametrize('mode', ['zero', 'symmetric', 'periodization'])
def test_float32_within_1e5_of_pywt(wavelet, mode):
    x = torch.randn(2, 4, 31, 26)
    ours = wavedec2(x, wavelet, 3, mode)
    ref = pywt.wavedec2(x.double().numpy(), wavelet, mode=mode, level=3, axes=(-2, -1))
    _assert_like_pywt(ours, ref, 1e-5)
    assert ours[0].dtype == torch.float32


def test_single_level_band_order_is_pywt_order():
    """cH is the detail along H: a horizontal edge (change along H) only appears there."""
    x = torch.zeros(1, 1, 8, 8, dtype=torch.float64)
    x[..., 3:, :] = 1.0  # an edge between rows 2 and 3 (odd boundary: seen by Haar)
    ca, (ch, cv, cd) = dwt2(x, 'haar')
    ref_a, (ref_h, ref_v, ref_d) = pywt.dwt2(x[0, 0].numpy(), 'haar')
    np.testing.assert_allclose(ch[0, 0].numpy(), ref_h)
    assert ch.abs().sum() > 0 and cv.abs().sum() == 0 and cd.abs().sum() == 0


@pytest.mark.parametrize('dtype', [torch.float16, torch.bfloat16])
def test_half_precision_inputs_are_computed_safely(dtype):
    x = torch.randn(1, 2, 16, 16)
    ref = dwt2(x, 'db2', 'symmetric')
    out = dwt2(x.to(dtype), 'db2', 'symmetric')
    assert out[0].dtype == dtype
    torch.testing.assert_close(out[0].float(), ref[0], atol=0.05, rtol=0.02)


def test_haar_cpu_tiles_cover_every_row(monkeypatch):
    """Tiles of a few block rows (ragged last tile) give PyWavelets' coefficients and the
    round trip; gradients flow through separate band tensors, one band at a time."""
    from mmfreqkd.ops import wavelets
    monkeypatch.setattr(wavelets, 'HAAR_TILE_BYTES', 3 * 2 * 14 * 8)  # 3 block rows of 7
    x = torch.randn(2, 3, 10, 14, dtype=torch.float64, requires_grad=True)
    ref = pywt.wavedec2(x.detach().numpy(), 'haar', mode='zero', level=1, axes=(-2, -1))
    ours = wavedec2(x, 'haar', 1, 'zero')
    _assert_like_pywt(ours, ref, 1e-12)
    torch.testing.assert_close(waverec2(ours, 'haar', 'zero'), x)
    assert len({t.data_ptr() for t in _flatten(ours)}) == 4
    assert torch.autograd.gradcheck(lambda t: dwt2(t, 'haar')[1][1], (x, ))


@pytest.mark.parametrize('wavelet,mode', [('haar', 'zero'), ('db2', 'symmetric'),
                                          ('bior2.2', 'periodization'), ('sym4', 'reflect')])
def test_gradcheck(wavelet, mode):
    x = torch.randn(1, 2, 7, 6, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: torch.cat([
        c.flatten() for c in _flatten(wavedec2(t, wavelet, 2, mode))]), (x, ))
    coeffs = [c.detach().requires_grad_() for c in _flatten(wavedec2(x, wavelet, 1, mode))]
    assert torch.autograd.gradcheck(
        lambda a, h, v, d: idwt2((a, (h, v, d)), wavelet, mode), tuple(coeffs))


def test_clear_errors():
    with pytest.raises(ValueError, match='not a discrete wavelet'):
        dwt2(torch.zeros(1, 1, 4, 4), 'morl')
    with pytest.raises(ValueError, match="mode 'smooth' is not supported"):
        dwt2(torch.zeros(1, 1, 4, 4), 'haar', 'smooth')
    with pytest.raises(ValueError, match=r'\(B, C, H, W\)'):
        dwt2(torch.zeros(4, 4))
    with pytest.raises(ValueError, match='one shape'):
        idwt2((torch.zeros(1, 1, 2, 2), (torch.zeros(1, 1, 2, 3), ) * 3))


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a GPU')
def test_cuda_matches_cpu():
    x = torch.randn(2, 3, 17, 16, dtype=torch.float64)
    cpu = list(_flatten(wavedec2(x, 'db4', 2, 'symmetric')))
    gpu = list(_flatten(wavedec2(x.cuda(), 'db4', 2, 'symmetric')))
    for a, b in zip(cpu, gpu):
        torch.testing.assert_close(b.cpu(), a)


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a GPU')
def test_cuda_haar_kernels_match_pywt_and_gradcheck():
    x = torch.randn(2, 3, 32, 48, dtype=torch.float64)
    ref = pywt.wavedec2(x.numpy(), 'haar', mode='zero', level=3, axes=(-2, -1))
    ours = wavedec2(x.cuda(), 'haar', 3, 'zero')
    _assert_like_pywt([t.cpu() if torch.is_tensor(t) else tuple(u.cpu() for u in t)
                       for t in ours], ref, 1e-10)
    torch.testing.assert_close(waverec2(ours, 'haar', 'zero').cpu(), x)
    xg = torch.randn(1, 2, 8, 6, dtype=torch.float64, device='cuda', requires_grad=True)
    weight = torch.rand(1, 2, 8, 6, dtype=torch.float64, device='cuda')
    assert torch.autograd.gradcheck(lambda t: idwt2(dwt2(t, 'haar'), 'haar') * weight, (xg, ))
    assert torch.autograd.gradcheck(lambda t: dwt2(t, 'haar')[1][2], (xg, ))


@pytest.mark.parametrize('shape,wavelet', [((2, 3, 8, 10), 'haar'), ((1, 2, 9, 7), 'haar'),
                                           ((1, 2, 12, 12), 'db2')])
def test_high_frequency_map_sums_pywt_details_at_the_input_size(shape, wavelet):
    import torch.nn.functional as F

    from mmfreqkd.ops import high_frequency_map
    x = torch.randn(*shape, dtype=torch.float64)
    _, (ch, cv, cd) = pywt.dwt2(x.numpy(), wavelet, mode='zero', axes=(-2, -1))
    expected = F.interpolate(torch.from_numpy(ch + cv + cd), size=shape[-2:], mode='bilinear',
                             align_corners=False)
    torch.testing.assert_close(high_frequency_map(x, wavelet), expected)
