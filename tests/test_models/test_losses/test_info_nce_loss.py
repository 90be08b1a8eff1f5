"""InfoNCEFeatureLoss against the same objective written with numpy's logsumexp (scipy)."""
import numpy as np
import pytest
import torch
from scipy.special import logsumexp

from mmfreqkd.models.losses import InfoNCEFeatureLoss


def _numpy_info_nce(s, t, tau):
    def embed(x):
        v = x.reshape(x.shape[0], x.shape[1], -1).mean(-1)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    sim = embed(s) @ embed(t).T / tau
    return np.mean(logsumexp(sim, axis=1) - np.diag(sim))


@pytest.mark.parametrize('shape', [(5, 8, 3, 4), (6, 16)])
def test_matches_numpy(shape):
    rng = np.random.default_rng(0)
    s, t = rng.normal(size=shape), rng.normal(size=shape)
    loss = InfoNCEFeatureLoss(tau=0.2, loss_weight=2.0)(torch.from_numpy(s), torch.from_numpy(t))
    assert float(loss) == pytest.approx(2.0 * _numpy_info_nce(s, t, 0.2), rel=1e-12)


def test_identical_directions_give_log_batch_and_the_teacher_gets_no_gradient():
    s = torch.ones(4, 3, 2, 2, requires_grad=True)
    t = torch.ones(4, 3, 2, 2, requires_grad=True)
    loss = InfoNCEFeatureLoss()(s, t)
    assert float(loss) == pytest.approx(np.log(4), rel=1e-6)  # no image is told apart
    loss.backward()
    assert s.grad is not None and t.grad is None


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match='at least 2 images'):
        InfoNCEFeatureLoss()(torch.zeros(1, 4), torch.zeros(1, 4))
    with pytest.raises(ValueError, match=r'\(2, 4\).*\(2, 5\)'):
        InfoNCEFeatureLoss()(torch.zeros(2, 4), torch.zeros(2, 5))
    with pytest.raises(ValueError, match='tau must be > 0'):
        InfoNCEFeatureLoss(tau=0)
