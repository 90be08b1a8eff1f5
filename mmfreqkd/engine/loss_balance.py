"""What each loss term does to the student: its gradient next to the task loss's.

A loss weight is a claim about how much a term steers the student. The claim is checked on the
gradients: for each term ``L_k`` of an algorithm's loss dict, ``g_k = dL_k / dtheta`` over the
student's trainable parameters (and the connectors trained with it), next to the task gradient
``g_task`` (the sum of the student's own losses):

* ``ratio_k = ||g_k|| / ||g_task||``: how strongly the term pulls, relative to the task;
* ``cos_k = <g_k, g_task> / (||g_k|| ||g_task||)``: whether it pulls the same way;
* the norms per parameter group (backbone stages, neck, head, each connector): where it acts.

A term whose ratio is below :data:`OFF` is switched off in all but name; above
:data:`DOMINATES` it swamps the task. ``tools/inspect_distill.py CONFIG --gradients`` prints
the table for a config; :class:`~mmfreqkd.engine.LossBalanceHook` logs the shares during
training.
"""
import contextlib
import math
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Mapping, Sequence, Tuple

import torch

from .random_state_hook import capture_random_state, restore_random_state

__all__ = ['OFF', 'DOMINATES', 'TermShare', 'parameter_group', 'student_parameters',
           'loss_terms', 'term_shares', 'verdict', 'training_losses', 'preserved_state']

#: Below this share of the task gradient a term is reported as "off".
OFF = 0.01
#: Above this share of the task gradient a term is reported as "dominates".
DOMINATES = 10.0

#: Where an algorithm keeps the student's own losses (mmrazor's prefix).
TASK_PREFIX = 'student.'


@dataclass
class TermShare:
    """One term's value and gradient on the student (see the module docstring)."""
    name: str
    value: float
    grad_norm: float
    ratio: float
    cosine: float
    groups: Dict[str, float] = field(default_factory=dict)


def parameter_group(name: str) -> str:
    """The group a parameter is reported in: ``backbone.<stage>``, the student's other top-level
    modules (``neck``, ``decode_head``...), or ``connectors.<name>``.

    Examples:
        >>> parameter_group('architecture.backbone.layer2.0.conv1.weight')
        'backbone.layer2'
        >>> parameter_group('architecture.decode_head.conv_seg.bias')
        'decode_head'
        >>> parameter_group('distiller.connectors.dtiem.proj.weight')
        'connectors.dtiem'
    """
    parts = name.split('.')
    if parts[0] == 'architecture':
        parts = parts[1:]
    if parts[:2] == ['distiller', 'connectors']:
        return '.'.join(parts[1:3])
    if parts[0] == 'backbone' and len(parts) > 2:
        return '.'.join(parts[:2])
    return parts[0]


def student_parameters(model: torch.nn.Module) -> List[Tuple[str, torch.nn.Parameter]]:
    """The trainable parameters that the student's step updates: the student's and the
    distiller's (connectors), not a teacher's or a critic's."""
    return [(n, p) for n, p in model.named_parameters()
            if p.requires_grad and n.split('.')[0] in ('architecture', 'distiller')]


def loss_terms(losses: Mapping) -> Dict[str, torch.Tensor]:
    """The terms of an algorithm's loss dict that enter its total (mmengine's rule: keys
    containing ``loss``; a list of tensors counts as its sum)."""
    terms = {}
    for name, value in losses.items():
        if 'loss' not in name:
            continue
        if isinstance(value, (list, tuple)):
            value = sum(v.sum() for v in value)
        if torch.is_tensor(value) and value.requires_grad:
            terms[name] = value.sum()
    return terms


def _flat(grads: Sequence, params: Sequence[torch.Tensor]) -> torch.Tensor:
    return torch.cat([(g if g is not None else torch.zeros_like(p)).reshape(-1).float()
                      for g, p in zip(grads, params)])


def term_shares(losses: Mapping, named_params: Sequence[Tuple[str, torch.nn.Parameter]],
                task_prefix: str = TASK_PREFIX) -> List[TermShare]:
    """The :class:`TermShare` of every loss term, the task gradient's first (as ``'task'``).

    Args:
        losses: an algorithm's loss dict, with its graph (before any backward).
        named_params: ``(name, parameter)`` pairs the gradients are taken on (e.g.
            :func:`student_parameters`).
        task_prefix: the prefix of the student's own losses.

    Raises:
        ValueError: when no term carries ``task_prefix`` (the task gradient is the
            reference).
    """
    terms = loss_terms(losses)
    task_names = [n for n in terms if n.startswith(task_prefix)]
    if not task_names:
        raise ValueError(f'no task loss (a key starting with {task_prefix!r}) among the loss '
                         f'terms {sorted(terms)}: the shares are relative to the task gradient')
    names = [n for n, _ in named_params]
    params = [p for _, p in named_params]
    groups: Dict[str, List[Tuple[int, int]]] = {}
    offset = 0
    for name, p in zip(names, params):
        groups.setdefault(parameter_group(name), []).append((offset, offset + p.numel()))
        offset += p.numel()

    def gradient(loss: torch.Tensor) -> torch.Tensor:
        grads = torch.autograd.grad(loss, params, retain_graph=True, allow_unused=True)
        return _flat(grads, params)

    def share(name: str, value: torch.Tensor, g: torch.Tensor,
              g_task: torch.Tensor) -> TermShare:
        norm, task_norm = float(g.norm()), float(g_task.norm())
        cosine = float(g @ g_task) / (norm * task_norm) if norm and task_norm else math.nan
        per_group = {k: float(torch.cat([g[a:b] for a, b in spans]).norm())
                     for k, spans in groups.items()}
        return TermShare(name, float(value.detach()), norm,
                         norm / task_norm if task_norm else math.nan, cosine, per_group)

    task = sum(terms[n] for n in task_names)
    g_task = gradient(task)
    shares = [share('task', task, g_task, g_task)]
    for name, value in terms.items():
        if name not in task_names:
            shares.append(share(name, value, gradient(value), g_task))
    return shares


def verdict(ratio: float) -> str:
    """``'off'``, ``'dominates'`` or ``''`` for a term's share of the task gradient."""
    if ratio < OFF:
        return 'off'
    if ratio > DOMINATES:
        return 'dominates'
    return ''


def training_losses(model: torch.nn.Module, batch,
                    scaled: bool = True) -> Dict[str, torch.Tensor]:
    """An algorithm's losses of the student's step on a raw ``batch`` (its data preprocessor
    applied; SSTKD's generator terms included), multiplied by the calibrated scales unless
    ``scaled=False`` (the terms as configured)."""
    data = model.data_preprocessor(batch, True)
    losses = model(**data, mode='loss')
    if getattr(model, 'adversarial', None) and not model.distillation_stopped:
        losses.update(model.generator_losses())
    scales = getattr(model, 'loss_scales', None)
    if scaled and scales is not None and scales.calibrated:
        losses = scales.multiply(losses)
    return losses


@contextlib.contextmanager
def preserved_state(model: torch.nn.Module) -> Iterator[None]:
    """Put the model's buffers (normalisation statistics) and every random generator back as
    they were after the block: a measurement pass leaves training exactly as without it."""
    buffers = {name: b.detach().clone() for name, b in model.named_buffers()}
    random_state = capture_random_state()
    try:
        yield
    finally:
        with torch.no_grad():
            for name, b in model.named_buffers():
                b.copy_(buffers[name])
        restore_random_state(random_state)
