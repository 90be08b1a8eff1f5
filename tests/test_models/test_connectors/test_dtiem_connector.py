"""DTIEMConnector: STLNet statistics, noise-bin removal, equalisation channel, gradients."""
import os.path as osp

import pytest
import torch
from conftest import CONFIGS
from mmengine.config import Config

from mmfreqkd.models.connectors import DTIEMConnector
from mmfreqkd.models.losses import StatisticalTextureLoss
from mmfreqkd.ops import histogram_equalize
from mmfreqkd.registry import MODELS


def small(**kw):
    return DTIEMConnector(in_channels=8, embed_channels=16, out_channels=12, n_levels=16, **kw)


def test_output_shape_gradients_and_equalised_channel():
    torch.manual_seed(0)
    dtiem = small()
    x = torch.randn(2, 8, 11, 9, requires_grad=True)
    out = dtiem(x)
    assert out.shape == (2, 13, 11, 9)
    out.square().mean().backward()
    assert x.grad.abs().sum() > 0
    assert all(p.grad is not None for p in dtiem.parameters() if p.requires_grad)
    # the last channel is the histogram-equalised intensity map of the retained pixels
    with torch.no_grad():
        s = dtiem.intensity(dtiem.embed(x))
        keep, _, _ = dtiem.retained(s)
        torch.testing.assert_close(out[:, -1].flatten(1), histogram_equalize(s, 16) * keep)


def test_noise_bins_are_dropped_and_their_pixels_zeroed():
    """An intensity map with a few outliers far from the bulk: the outliers fall into sparse
    bins, are dropped, and the levels are re-placed over the bulk's range."""
    dtiem = small(iterations=2, noise_ratio=0.25, denoise_kernel=1)
    s = torch.cat([torch.linspace(0.0, 0.1, 500), torch.tensor([0.9, 1.0])])[None]
    keep, lo, hi = dtiem.retained(s)
    assert not keep[0, -2:].any() and keep[0, :500].all()
    torch.testing.assert_close(hi, torch.tensor([0.1]))
    assert float(lo) == 0.0
    one_pass = small(iterations=1, denoise_kernel=1).retained(s)[0]
    assert one_pass.all()


def test_constant_intensity_keeps_every_pixel_and_stays_finite():
    dtiem = small()
    out = dtiem(torch.ones(2, 8, 6, 6))
    assert torch.isfinite(out).all()


def test_channel_mismatch_names_the_shape():
    with pytest.raises(ValueError, match=r'8 input channels.*\(1, 4, 6, 6\)'):
        small()(torch.zeros(1, 4, 6, 6))


def test_frozen_dtiem_keeps_its_weights_and_eval_mode():
    dtiem = small(frozen=True)
    assert not any(p.requires_grad for p in dtiem.parameters())
    dtiem.train()
    assert not any(m.training for m in dtiem.modules())
    x = torch.randn(2, 8, 6, 6, requires_grad=True)
    dtiem(x).sum().backward()  # gradients still reach the input
    assert x.grad.abs().sum() > 0


def _sstkd_statistical_branch():
    """The student- and teacher-side DTIEMs of SSTKD's base config (small widths), as its
    ``loss_sta`` mapping wires them."""
    distiller = Config.fromfile(osp.join(CONFIGS, '_base_/algorithms/sstkd.py')).model.distiller
    mapping = distiller.loss_forward_mappings.loss_sta
    sides = {}
    for side in ('preds_S', 'preds_T'):
        chain = mapping[side]['connector']
        sides[side] = chain if isinstance(chain, str) else chain[-1]
    built = {}
    for name in set(sides.values()):
        cfg = dict(distiller.connectors[name], in_channels=8, embed_channels=16,
                   out_channels=12, n_levels=16)
        built[name] = MODELS.build(cfg)
    return built[sides['preds_S']], built[sides['preds_T']]


def test_sstkd_statistical_texture_cannot_collapse():
    """Optimising L_sta alone against student features unrelated to the teacher's: the best
    the student side can do is the mean target, so the teacher-side output keeps its variance
    and L_sta stays near that variance instead of falling to zero (with one DTIEM shared by
    both sides it fell 2.48 -> 0.002 and the teacher-side output became constant)."""
    torch.manual_seed(0)
    student_side, teacher_side = _sstkd_statistical_branch()
    loss_fn = StatisticalTextureLoss()
    trainable = [p for p in student_side.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(trainable, lr=1e-2)

    def teacher_features():
        return torch.nn.functional.avg_pool2d(torch.randn(4, 8, 20, 20), 5, 1) * 3

    with torch.no_grad():
        start = teacher_side(teacher_features()).var()
    losses = []
    for _ in range(150):
        with torch.no_grad():
            target = teacher_side(teacher_features())
        loss = loss_fn(student_side(torch.randn(4, 8, 16, 16)), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    with torch.no_grad():
        end = teacher_side(teacher_features()).var()
    assert float(end) > 0.5 * float(start) > 0
    assert sum(losses[-20:]) / 20 > 0.2 * float(start)
