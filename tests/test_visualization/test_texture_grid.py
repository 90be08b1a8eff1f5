"""texture_maps / save_texture_grid on the small SSTKD config (untrained teacher)."""
import copy

import matplotlib.image as mpimg
import pytest
import torch
from conftest import config_path
from mmengine.config import Config
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import MODELS, init_default_scope

from mmfreqkd.ops import contourlet
from mmfreqkd.visualization import save_texture_grid, texture_maps

CONFIG = config_path('sstkd', 'sstkd_pspnet_r18w32_pspnet_r18w4_1xb8-1k_texseg-64x64.py')


def build(**options):
    cfg = Config.fromfile(CONFIG)
    cfg.model.teacher_ckpt = None
    cfg.model.allow_random_teacher = True
    cfg.merge_from_dict(options)
    init_default_scope(cfg.default_scope)
    model = revert_sync_batchnorm(MODELS.build(copy.deepcopy(cfg.model)))
    model.eval()
    return model


def test_panels_are_the_teachers_and_students_bands_and_dtiem_maps(tmp_path):
    torch.manual_seed(0)
    model = build()
    inputs = torch.randn(1, 3, 64, 64)
    panels = texture_maps(model, inputs)
    assert len(panels) == 3 * 8 + 1 + 2  # levels x directions, coarse, two DTIEM maps
    title, teacher, student = panels[4]
    assert title == 'loss_str level 1 dir 4'
    with torch.no_grad():
        model.teacher(inputs, mode='tensor')  # recorders are off: recompute by hand
        feature = model.teacher.backbone(inputs)[0]
    std = (feature - feature.mean((2, 3), keepdim=True)) / (
        feature.std((2, 3), keepdim=True, unbiased=False) + 1e-5)
    bands, _ = contourlet(std, 3, 8)
    torch.testing.assert_close(torch.from_numpy(teacher), bands[0][0, :, 4].abs().mean(0))
    assert student.shape == teacher.shape == (16, 16)
    grid = save_texture_grid(panels, str(tmp_path / 'grid.png'))
    image = mpimg.imread(str(tmp_path / 'grid.png'))
    assert grid == dict(rows=8, columns=8) and image.shape[0] > 500 and image.std() > 0


def test_a_distiller_without_texture_losses_is_refused():
    model = build(**{'model.distiller.distill_losses.loss_str': None,
                     'model.distiller.distill_losses.loss_sta': None})
    with pytest.raises(ValueError, match='no StructuralTextureLoss'):
        texture_maps(model, torch.randn(1, 3, 64, 64))
