"""PIQE's block cues and score against pypiqe (a port of MATLAB's ``piqe``) on photographs
scikit-image ships."""
import cv2
import numpy as np
import pytest
import torch
from pypiqe.piqe import piqe
from skimage import data

from mmfreqkd.models.extractors import piqe_cues, piqe_score

PHOTOS = ('astronaut', 'chelsea', 'coffee', 'camera', 'rocket')


def _grey(name, size=(200, 250)):
    """A grey uint8 crop stretched to a maximum of 255 (PIQE first rescales the image so that
    its maximum is 255 and rounds; our extractor takes the intensities as they come)."""
    img = getattr(data, name)()
    if img.ndim == 3:
        img = cv2.cvtColor(np.ascontiguousarray(img[..., ::-1]), cv2.COLOR_BGR2GRAY)
    img = img[:size[0], :size[1]].astype(np.float64)
    return np.round(255 * img / img.max()).astype(np.uint8)


@pytest.mark.parametrize('name', PHOTOS)
@pytest.mark.parametrize('size', [(200, 250), (64, 64), (37, 53)])
def test_score_and_masks_equal_pypiqe(name, size):
    grey = _grey(name, size)
    score, artefact_mask, noise_mask, activity_mask = piqe(grey)
    x = torch.from_numpy(grey).double()[None, None]
    np.testing.assert_allclose(piqe_score(x).item(), score, rtol=1e-9)
    cues = piqe_cues(x, hard=True)
    h, w = grey.shape
    for ours, mask in ((cues['activity'], activity_mask),
                       (cues['activity'] * cues['artefact'], artefact_mask),
                       (cues['activity'] * cues['noise'], noise_mask)):
        full = ours[0, 0].repeat_interleave(16, 0).repeat_interleave(16, 1)[:h, :w]
        np.testing.assert_array_equal(full.numpy().astype(bool), mask)


def test_noise_raises_the_score():
    clean = _grey('camera')
    rng = np.random.default_rng(0)
    noisy = np.clip(clean + rng.normal(0, 25, clean.shape), 0, 255)
    scores = [piqe_score(torch.from_numpy(i).double()[None, None]).item()
              for i in (clean, noisy)]
    assert scores[1] > scores[0] + 10


def test_soft_cues_tend_to_the_hard_ones():
    x = torch.from_numpy(_grey('astronaut')).double()[None, None]
    cold = dict(activity_temperature=1e-9, artefact_temperature=1e-9, noise_temperature=1e-9)
    np.testing.assert_allclose(piqe_score(x, hard=False, **cold).item(),
                               piqe_score(x, hard=True).item(), rtol=1e-6)


def test_gradcheck_soft_cues():
    x = (torch.rand(1, 1, 16, 32, dtype=torch.float64) * 255).requires_grad_(True)
    for key in ('activity', 'artefact', 'noise', 'edges'):
        torch.autograd.gradcheck(lambda t: piqe_cues(t)[key], (x, ), fast_mode=True)
    torch.autograd.gradcheck(lambda t: piqe_score(t, hard=False), (x, ), fast_mode=True)


def test_named_errors():
    with pytest.raises(ValueError, match=r'\(B, C, H, W\)'):
        piqe_cues(torch.rand(16, 16))
    with pytest.raises(ValueError, match='at least 8 pixels'):
        piqe_cues(torch.rand(1, 1, 5, 40))


@pytest.mark.parametrize('name', PHOTOS)
def test_soft_activity_and_artefact_cues_are_not_saturated_on_photographs(name):
    """At the default temperatures nearly every block of a photograph has an activity and an
    artefact cue strictly between 0.01 and 0.99, so each carries a gradient to the image (a
    sigmoid of the difference to the threshold is 1 for all blocks well above it)."""
    x = torch.from_numpy(_grey(name)).double()[None, None].requires_grad_(True)
    cues = piqe_cues(x)
    for key in ('activity', 'artefact'):
        unsaturated = ((cues[key] > 0.01) & (cues[key] < 0.99)).double().mean()
        assert float(unsaturated) > 0.9, key
        grad, = torch.autograd.grad(cues[key].sum(), x, retain_graph=True)
        assert float(grad.abs().sum()) > 0
