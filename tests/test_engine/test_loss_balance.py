"""The loss-balance diagnostic against gradients taken directly with torch.autograd.grad, on
a model of the algorithms' layout and on a real distillation config (mmrazor's CWD)."""
import pytest
import torch
from torch import nn

from mmfreqkd.engine.loss_balance import (loss_terms, parameter_group, student_parameters,
                                          term_shares, verdict)


class _Algorithm(nn.Module):
    """The parameter layout of a distillation algorithm: a student (``architecture``) with a
    backbone and a head, a connector, a frozen teacher."""

    def __init__(self):
        super().__init__()
        self.architecture = nn.Module()
        self.architecture.backbone = nn.Module()
        self.architecture.backbone.layer1 = nn.Linear(4, 6)
        self.architecture.head = nn.Linear(6, 3)
        self.distiller = nn.Module()
        self.distiller.connectors = nn.ModuleDict(dict(proj=nn.Linear(6, 5)))
        self.teacher = nn.Linear(4, 5).requires_grad_(False)

    def loss(self, x):
        feat = torch.relu(self.architecture.backbone.layer1(x))
        logits = self.architecture.head(feat)
        target = self.teacher(x)
        return {'student.loss_ce': nn.functional.cross_entropy(logits, torch.arange(len(x)) % 3),
                'student.acc': logits.sum().detach(),
                'distill.loss_feat': 0.3 * (self.distiller.connectors.proj(feat) - target).pow(2)
                .mean(),
                'distill.loss_logits': 1e-4 * logits.pow(2).sum(),
                'distill.loss_list': [feat.mean(), feat.std()]}


def test_shares_equal_the_gradients_taken_directly():
    torch.manual_seed(0)
    model = _Algorithm()
    losses = model.loss(torch.randn(8, 4))
    named = student_parameters(model)
    assert [n for n, _ in named] == [
        'architecture.backbone.layer1.weight', 'architecture.backbone.layer1.bias',
        'architecture.head.weight', 'architecture.head.bias',
        'distiller.connectors.proj.weight', 'distiller.connectors.proj.bias']
    shares = {s.name: s for s in term_shares(losses, named)}
    assert list(shares) == ['task', 'distill.loss_feat', 'distill.loss_logits',
                            'distill.loss_list']
    params = [p for _, p in named]

    def direct(loss):
        grads = torch.autograd.grad(loss, params, retain_graph=True, allow_unused=True)
        return [torch.zeros_like(p) if g is None else g for g, p in zip(grads, params)]

    g_task = direct(losses['student.loss_ce'])
    task_norm = torch.sqrt(sum(g.pow(2).sum() for g in g_task))
    for name, loss in [('distill.loss_feat', losses['distill.loss_feat']),
                       ('distill.loss_logits', losses['distill.loss_logits']),
                       ('distill.loss_list', sum(losses['distill.loss_list']))]:
        g = direct(loss)
        norm = torch.sqrt(sum(x.pow(2).sum() for x in g))
        cosine = sum((a * b).sum() for a, b in zip(g, g_task)) / (norm * task_norm)
        share = shares[name]
        assert share.grad_norm == pytest.approx(float(norm), rel=1e-5)
        assert share.ratio == pytest.approx(float(norm / task_norm), rel=1e-5)
        assert share.cosine == pytest.approx(float(cosine), rel=1e-4, abs=1e-6)
        assert share.value == pytest.approx(float(loss))
        by_group = {'backbone.layer1': g[:2], 'head': g[2:4], 'connectors.proj': g[4:]}
        for group, grads in by_group.items():
            expected = float(torch.sqrt(sum(x.pow(2).sum() for x in grads)))
            assert share.groups[group] == pytest.approx(expected, rel=1e-5, abs=1e-12)
    # the feature term never reaches the head; the logits term never reaches the connector
    assert shares['distill.loss_feat'].groups['head'] == 0
    assert shares['distill.loss_logits'].groups['connectors.proj'] == 0
    assert shares['task'].ratio == pytest.approx(1) and shares['task'].cosine == \
        pytest.approx(1)


def test_terms_follow_mmengines_loss_rule_and_need_a_task_loss():
    model = _Algorithm()
    losses = model.loss(torch.randn(4, 4))
    assert sorted(loss_terms(losses)) == ['distill.loss_feat', 'distill.loss_list',
                                          'distill.loss_logits', 'student.loss_ce']
    with pytest.raises(ValueError, match="no task loss .*'student.'"):
        term_shares({k: v for k, v in losses.items() if not k.startswith('student.')},
                    student_parameters(model))


def test_verdicts_and_groups():
    assert (verdict(0.005), verdict(0.5), verdict(20)) == ('off', '', 'dominates')
    assert parameter_group('architecture.neck.lateral_convs.0.conv.weight') == 'neck'
