"""Loss weights calibrated to gradient shares: each distillation term is multiplied so that its
gradient on the student is a chosen fraction of the task loss's (its share, as
:mod:`mmfreqkd.engine.loss_balance` measures it).

A term's gradient norm is proportional to its weight, so one measurement fixes the multiplier:
``scale_k = target_k / share_k``, with ``share_k = mean ||g_k|| / mean ||g_task||`` over a few
training batches at the configured weights. The student does not step while the shares are
measured, and its normalisation statistics and the random generators are put back afterwards.
"""
from dataclasses import dataclass
from typing import Dict, Iterable, List

import torch

from .loss_balance import preserved_state, student_parameters, term_shares, training_losses

__all__ = ['CalibratedTerm', 'calibrate']


@dataclass
class CalibratedTerm:
    """A term's share before calibration, its target and the multiplier chosen."""
    name: str
    share: float
    target: float
    scale: float


def calibrate(model: torch.nn.Module, batches: Iterable) -> List[CalibratedTerm]:
    """Measure each term's share on ``model.loss_scales.batches`` raw training batches and
    adopt the multipliers (``model.loss_scales.set``).

    Args:
        model: an algorithm with ``loss_scales`` (built from ``model.calibration``).
        batches: raw training batches (a data loader); the first ``batches`` are used.

    Returns:
        One :class:`CalibratedTerm` per calibrated term (a term whose target is None, or whose
        gradient on the student is 0, keeps its configured weight and is not listed).

    Raises:
        ValueError: without as many batches as asked for.
        KeyError: when ``targets`` names a term the loss dict does not have.
    """
    settings = model.loss_scales
    params = student_parameters(model)
    norms: Dict[str, List[float]] = {}
    iterator = iter(batches)
    mode = model.training
    model.train()  # as in a training step (a frozen teacher stays in eval mode)
    try:
        with preserved_state(model):
            for index in range(settings.batches):
                try:
                    batch = next(iterator)
                except StopIteration:
                    raise ValueError(f'model.calibration.batches={settings.batches}, but the '
                                     f'training data loader gave {index} batch(es)') from None
                for share in term_shares(training_losses(model, batch, scaled=False), params):
                    norms.setdefault(share.name, []).append(share.grad_norm)
    finally:
        model.train(mode)
    terms = [name for name in norms if name != 'task']
    settings.check_terms(terms)
    task = sum(norms['task'])
    chosen = []
    for name in terms:
        target = settings.target_of(name)
        share = sum(norms[name]) / task if task else 0.0
        if target is None or share == 0:
            continue
        chosen.append(CalibratedTerm(name, share, target, target / share))
    settings.set({term.name: term.scale for term in chosen})
    return chosen
