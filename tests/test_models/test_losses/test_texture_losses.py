"""StructuralTextureLoss and StatisticalTextureLoss against their formulas computed by hand."""
import pytest
import torch
from skimage import data

from mmfreqkd.models.connectors import ContourletConnector
from mmfreqkd.models.losses import StatisticalTextureLoss, StructuralTextureLoss


def test_structural_loss_is_the_sum_of_normalised_mses_by_hand():
    torch.manual_seed(0)
    cdm = ContourletConnector(levels=2, n_dirs=4, materialize=True)
    s, t = cdm(torch.randn(2, 3, 16, 16)), cdm(torch.randn(2, 3, 16, 16))
    mse = [[((s[j][:, :, k] - t[j][:, :, k])**2).mean() for k in range(4)] for j in range(2)]
    ms = [[(t[j][:, :, k]**2).mean() for k in range(4)] for j in range(2)]
    coarse = ((s[2] - t[2])**2).mean() / (t[2]**2).mean()
    by_level = sum(sum(mse[j]) / sum(ms[j]) for j in range(2)) + coarse
    torch.testing.assert_close(
        StructuralTextureLoss(loss_weight=2.0, normalize='level', eps=0)(s, t), 2 * by_level)
    mixed = [[0.9 * ms[j][k] + 0.1 * sum(ms[j]) / 4 for k in range(4)] for j in range(2)]
    by_direction = sum(mse[j][k] / mixed[j][k] for j in range(2) for k in range(4)) / 4 + coarse
    torch.testing.assert_close(
        StructuralTextureLoss(loss_weight=2.0, direction_floor=0.1, eps=0)(s, t),
        2 * by_direction)
    plain = StructuralTextureLoss(normalize='none', with_coarse=False)
    torch.testing.assert_close(plain(s, t), sum(sum(m) for m in mse))


@pytest.mark.parametrize('size', [(16, 16), (15, 17), (9, 12)])
@pytest.mark.parametrize('normalize', ['level', 'direction', 'none'])
def test_parseval_path_equals_the_materialised_sub_bands(size, normalize):
    """Lazy DirectionalSubbands (Parseval on the spectrum) give the loss and the gradient of the
    formed sub-bands, odd and even sizes (Nyquist bins counted once)."""
    torch.manual_seed(0)
    x = torch.randn(2, 3, *size, dtype=torch.float64)
    y = torch.randn(2, 3, *size, dtype=torch.float64, requires_grad=True)
    loss = StructuralTextureLoss(normalize=normalize)
    values, grads = [], []
    for materialize in (True, False):
        cdm = ContourletConnector(levels=2, n_dirs=[8, 4], materialize=materialize)
        value = loss(cdm(y), cdm(x))
        values.append(value.detach())
        grads.append(torch.autograd.grad(value, y)[0])
    torch.testing.assert_close(values[1], values[0], rtol=1e-10, atol=0)
    torch.testing.assert_close(grads[1], grads[0], rtol=1e-8, atol=1e-12)


def test_lazy_and_materialised_bands_do_not_mix():
    x = torch.randn(1, 2, 8, 8)
    lazy = ContourletConnector(levels=1, n_dirs=4)(x)
    formed = ContourletConnector(levels=1, n_dirs=4, materialize=True)(x)
    with pytest.raises(ValueError, match='both'):
        StructuralTextureLoss()(lazy, formed)


@pytest.mark.parametrize('normalize', ['level', 'direction'])
def test_normalisation_stays_bounded_where_a_direction_holds_no_energy(normalize):
    """On a 4x4 map a wedge can hold only DC's share; the band-pass has none there."""
    cdm = ContourletConnector(levels=1, n_dirs=8)
    s, t = cdm(torch.randn(2, 3, 4, 4)), cdm(torch.randn(2, 3, 4, 4))
    assert float(StructuralTextureLoss(normalize=normalize, with_coarse=False)(s, t)) < 10


def test_directions_carry_orientation_into_the_loss():
    """An oriented photograph (lines of text) against itself rotated by 90 degrees: with the
    default per-direction normalisation the band-pass loss is far above that of the Laplacian
    pyramid alone (one direction per level), which the level-normalised sum of directional
    MSEs equals within a few per cent (Parseval); the teacher's own map scores 0."""
    photo = torch.tensor(data.text()[:128, :128], dtype=torch.float32)[None, None]
    rotated = torch.rot90(photo, 1, (2, 3))
    contourlet = ContourletConnector(levels=3, n_dirs=8)
    pyramid = ContourletConnector(levels=3, n_dirs=1)
    loss = StructuralTextureLoss(with_coarse=False)
    by_level = StructuralTextureLoss(normalize='level', with_coarse=False)
    pyramid_only = float(loss(pyramid(rotated), pyramid(photo)))
    assert float(loss(contourlet(rotated), contourlet(photo))) > 2 * pyramid_only
    assert float(by_level(contourlet(rotated), contourlet(photo))) == pytest.approx(
        pyramid_only, rel=0.03)
    assert float(loss(contourlet(photo), contourlet(photo))) == 0


def test_teacher_side_gets_no_gradient():
    s = [torch.randn(1, 2, 4, 8, 8, requires_grad=True), torch.randn(1, 2, 4, 4)]
    t = [torch.randn(1, 2, 4, 8, 8, requires_grad=True), torch.randn(1, 2, 4, 4)]
    StructuralTextureLoss()(s, t).backward()
    assert s[0].grad is not None and t[0].grad is None
    a, b = torch.randn(1, 3, 4, 4, requires_grad=True), torch.randn(1, 3, 4, 4, requires_grad=True)
    loss = StatisticalTextureLoss(loss_weight=3.0)(a, b)
    torch.testing.assert_close(loss, 3.0 * torch.nn.functional.mse_loss(a, b))
    loss.backward()
    assert a.grad is not None and b.grad is None


def test_mismatched_bands_name_both_shapes():
    s = [torch.zeros(2, 16, 8, 4, 4), torch.zeros(2, 16, 2, 2)]
    t = [torch.zeros(2, 32, 8, 4, 4), torch.zeros(2, 32, 2, 2)]
    with pytest.raises(ValueError, match=r'\(2, 16, 8, 4, 4\).*\(2, 32, 8, 4, 4\)'):
        StructuralTextureLoss()(s, t)
    with pytest.raises(ValueError, match='3 bands'):
        StructuralTextureLoss()(s + s[:1], t)
    with pytest.raises(ValueError, match='normalize'):
        StructuralTextureLoss(normalize='band')
    with pytest.raises(ValueError, match=r'\(1, 2\).*\(1, 3\)'):
        StatisticalTextureLoss()(torch.zeros(1, 2), torch.zeros(1, 3))
