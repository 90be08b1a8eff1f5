"""OFALoss against the OFA-KD formula (Hao et al., NeurIPS 2023, official ``ofa_loss``):
computed here in float64 with SciPy, and at eps = 1 equal to torch's cross-entropy with the
teacher's probabilities as targets."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.special import log_softmax, softmax

from mmfreqkd.models.losses import OFALoss


def _reference(logits_s, logits_t, labels, eps, tau):
    p_t = softmax(logits_t / tau, axis=1)
    log_p_s = log_softmax(logits_s / tau, axis=1)
    weights = p_t ** eps  # every class but the label: p_T ** eps
    rows = np.arange(len(labels))
    weights[rows, labels] = (1 + p_t[rows, labels]) ** eps - 1
    return float(np.mean(-(weights * log_p_s).sum(1)))


@pytest.mark.parametrize('eps, tau', [(1.0, 1.0), (1.5, 1.0), (0.8, 4.0)])
def test_value_equals_the_formula(eps, tau):
    rng = np.random.default_rng(0)
    logits_s, logits_t = rng.normal(0, 3, (2, 8, 15))
    labels = rng.integers(0, 15, 8)
    loss = OFALoss(eps=eps, tau=tau, loss_weight=2.0)(
        torch.tensor(logits_s, dtype=torch.float32), torch.tensor(logits_t, dtype=torch.float32),
        torch.tensor(labels))
    assert float(loss) == pytest.approx(2 * _reference(logits_s, logits_t, labels, eps, tau),
                                        rel=1e-5)


def test_at_eps_1_it_is_the_cross_entropy_with_the_teachers_probabilities():
    torch.manual_seed(0)
    logits_s = torch.randn(6, 10, requires_grad=True)
    logits_t, labels = torch.randn(6, 10), torch.randint(0, 10, (6, ))
    loss = OFALoss(eps=1.0)(logits_s, logits_t, labels)
    expected = F.cross_entropy(logits_s, logits_t.softmax(1))
    torch.testing.assert_close(loss, expected)
    # its gradient vanishes where the student matches the teacher, as a divergence's does
    matched = logits_t.clone().requires_grad_()
    OFALoss(eps=1.0)(matched, logits_t, labels).backward()
    assert matched.grad.abs().max() < 1e-6


def test_eps_above_1_makes_the_student_surer_of_the_label_than_the_teacher():
    """The loss's minimum over the student's logits is p_S = t / sum(t) (t the formula's
    weights): with eps = 1.5 the label's probability ends above the teacher's."""
    logits_t, labels = torch.tensor([[1.0, 0.5, -1.0]]), torch.tensor([1])
    student = torch.zeros(1, 3, requires_grad=True)
    optimizer = torch.optim.LBFGS([student], max_iter=200, line_search_fn='strong_wolfe')

    def closure():
        optimizer.zero_grad()
        loss = OFALoss(eps=1.5)(student, logits_t, labels)
        loss.backward()
        return loss

    optimizer.step(closure)
    p_t = softmax(logits_t.numpy(), axis=1)[0]
    weights = p_t ** 1.5
    weights[1] = (1 + p_t[1]) ** 1.5 - 1
    np.testing.assert_allclose(student.softmax(1)[0].detach().numpy(), weights / weights.sum(),
                               atol=1e-4)
    assert student.softmax(1)[0, 1] > p_t[1] + 0.1


def test_bad_shapes_name_what_is_wrong():
    with pytest.raises(ValueError, match=r'gt_labels must be \(4, \) class indices'):
        OFALoss()(torch.zeros(4, 3), torch.zeros(4, 3), torch.zeros(4, 3))
    with pytest.raises(ValueError, match='both be \\(N, classes\\)'):
        OFALoss()(torch.zeros(4, 3), torch.zeros(4, 5), torch.zeros(4))
