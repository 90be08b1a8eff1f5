"""SLKD's feature losses: zero for equal maps, larger for more degraded student maps, gradients
only on the student side, named errors."""
import numpy as np
import pytest
import torch
from skimage import data

from mmfreqkd.models.losses import NaturalSceneStatisticsLoss, PerceptionCueLoss

LOSSES = [NaturalSceneStatisticsLoss(), NaturalSceneStatisticsLoss(mode='maps'),
          PerceptionCueLoss(), PerceptionCueLoss(activity_weighted=False)]


def _clean():
    return torch.from_numpy(data.camera()[:64, :96] / 255.0)[None, None]


def _noisy(sigma, seed=0):
    rng = np.random.default_rng(seed)
    return (_clean() + torch.from_numpy(rng.normal(0, sigma, (1, 1, 64, 96)))).clamp(0, 1)


@pytest.mark.parametrize('loss', LOSSES, ids=lambda m: f'{type(m).__name__}')
def test_zero_when_equal_and_growing_with_noise(loss):
    clean = _clean()
    assert loss(clean, clean).item() == 0
    assert 0 < loss(_noisy(0.02), clean).item() < loss(_noisy(0.2), clean).item()


@pytest.mark.parametrize('loss', LOSSES, ids=lambda m: f'{type(m).__name__}')
def test_gradient_reaches_the_student_only(loss):
    student = _noisy(0.1).requires_grad_(True)
    teacher = _clean().requires_grad_(True)
    loss(student, teacher).backward()
    assert torch.isfinite(student.grad).all() and student.grad.abs().sum() > 0
    assert teacher.grad is None


def test_student_map_resized_to_the_teacher_grid():
    loss = PerceptionCueLoss()
    clean = _clean()
    small = torch.nn.functional.interpolate(clean, scale_factor=0.5, mode='bilinear')
    assert loss(small, clean).item() > 0


def test_named_errors():
    with pytest.raises(ValueError, match='same out_channels'):
        PerceptionCueLoss()(torch.rand(1, 3, 32, 32), torch.rand(1, 1, 32, 32))
    with pytest.raises(ValueError, match='ScaleConversionModule'):
        NaturalSceneStatisticsLoss()(torch.rand(1, 32, 32), torch.rand(1, 1, 32, 32))
    with pytest.raises(ValueError, match="mode must be 'features' or 'maps'"):
        NaturalSceneStatisticsLoss(mode='vector')
    with pytest.raises(ValueError, match='subset'):
        PerceptionCueLoss(cues=('blur', ))
