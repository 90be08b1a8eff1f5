"""Multipliers of an algorithm's loss terms, chosen by calibration and kept with the model.

A distillation term's weight in a config is a claim about how strongly it steers the student.
Calibration (:mod:`mmfreqkd.engine.loss_calibration`) measures, before training, each term's
gradient on the student relative to the task loss's (its share) and multiplies the term so that
its share equals a target. The multipliers are part of the model's state (saved in every
checkpoint as the :class:`LossScales` module's extra state), so a resumed run keeps them and
does not calibrate again.
"""
import fnmatch
import json
from typing import Dict, Mapping, Optional, Sequence

import torch
import torch.nn as nn

__all__ = ['LossScales', 'LossScalesMixin']


class LossScales(nn.Module):
    """The calibration settings of an algorithm and, once calibrated, its term multipliers.

    Args:
        target: the gradient share every distillation term is scaled to (the ratio of its
            gradient norm on the student's trainable parameters to the task loss's), unless
            ``targets`` names it ([our default] 1).
        targets: ``{term: share}`` per term, by the algorithm's loss-dict key
            (``'distill.loss_str'``; ``tools/inspect_distill.py CONFIG --gradients`` lists
            them) or a shell-style pattern of keys (``'distill.full.*'``; the first pattern
            that matches wins, an exact key before any pattern); ``None`` as a share leaves
            the term as configured.
        batches: training batches the shares are averaged over ([our default] 4).
        excluded: key patterns of terms left as configured unless ``targets`` names them
            (by key or pattern): terms whose share before training says nothing of their
            share during it (set by the algorithm; SSTKD's adversarial term, whose critic is
            untrained at the start).

    Examples:
        >>> model = dict(type='mmfreqkd.SingleTeacherKD',  # doctest: +SKIP
        ...              calibration=dict(target=1.0, targets={'distill.loss_kd': 2.0}))
    """

    def __init__(self, target: float = 1.0, targets: Optional[Mapping[str, float]] = None,
                 batches: int = 4, excluded: Sequence[str] = ()) -> None:
        super().__init__()
        targets = dict(targets or {})
        shares = [target, *(t for t in targets.values() if t is not None)]
        if any(not share > 0 for share in shares) or batches < 1:
            raise ValueError(f'model.calibration: target shares must be > 0 and batches >= 1, '
                             f'got target={target}, targets={targets}, batches={batches}')
        self.target, self.targets, self.batches = float(target), targets, batches
        self.excluded = tuple(excluded)
        self.scales: Dict[str, float] = {}
        self.calibrated = False

    def target_of(self, term: str) -> Optional[float]:
        """The share ``term`` is scaled to (None: left as configured)."""
        if term in self.targets:
            return self.targets[term]
        pattern = next((p for p in self.targets if fnmatch.fnmatchcase(term, p)), None)
        if pattern is not None:
            return self.targets[pattern]
        if any(fnmatch.fnmatchcase(term, p) for p in self.excluded):
            return None
        return self.target

    def check_terms(self, terms) -> None:
        """Every key or pattern ``targets`` names must match a term of the loss dict."""
        unknown = sorted(p for p in self.targets
                         if not any(fnmatch.fnmatchcase(term, p) for term in terms))
        if unknown:
            raise KeyError(f'model.calibration.targets names {unknown}, which match no loss '
                           f'term of this algorithm; its terms: {sorted(terms)}')

    def set(self, scales: Mapping[str, float]) -> None:
        """Adopt ``scales`` (term -> multiplier) as the calibration's result."""
        self.scales = {name: float(scale) for name, scale in scales.items()}
        self.calibrated = True

    def multiply(self, losses: Mapping) -> dict:
        """``losses`` with each calibrated term multiplied by its scale."""
        return {name: value * self.scales[name] if name in self.scales else value
                for name, value in losses.items()}

    def get_extra_state(self) -> torch.Tensor:
        """The multipliers and the calibrated flag as a tensor (the UTF-8 bytes of their JSON):
        every entry of the state dict a tensor, as mmengine's distributed start expects (it
        broadcasts each entry from rank 0). JSON keeps a float's every digit."""
        text = json.dumps(dict(scales=self.scales, calibrated=self.calibrated))
        return torch.tensor(list(text.encode()), dtype=torch.uint8)

    def set_extra_state(self, state) -> None:
        if torch.is_tensor(state):
            state = json.loads(bytes(state.tolist()).decode())
        else:  # the dict itself, as checkpoints written before the tensor form keep it
            state = dict(state)
        self.scales = {name: float(scale) for name, scale in state['scales'].items()}
        self.calibrated = bool(state['calibrated'])

    def extra_repr(self) -> str:
        return f'target={self.target}, targets={self.targets}, scales={self.scales}'


class LossScalesMixin:
    """``calibration`` for an algorithm: ``self.loss_scales`` (a :class:`LossScales`, or None
    without calibration) multiplies the loss terms before they are summed and logged.
    ``uncalibrated_terms``: key patterns of the algorithm's terms that calibration leaves as
    configured unless the config names them (see ``LossScales``' ``excluded``)."""

    uncalibrated_terms: Sequence[str] = ()

    def init_loss_scales(self, calibration: Optional[dict]) -> None:
        """Build ``self.loss_scales`` from the ``model.calibration`` config (None: off)."""
        self.loss_scales = None if calibration is None else LossScales(
            **calibration, excluded=self.uncalibrated_terms)

    def parse_losses(self, losses):
        """mmengine's ``parse_losses`` of the calibrated terms; refuses to train with a
        calibration asked for but not done."""
        scales = getattr(self, 'loss_scales', None)
        if scales is not None:
            if not scales.calibrated:
                raise RuntimeError(
                    'model.calibration is set, but the loss terms were not calibrated before '
                    "training: add dict(type='mmfreqkd.LossCalibrationHook') to custom_hooks "
                    "(mmfreqkd.SafeRunner adds it), or remove model.calibration")
            losses = scales.multiply(losses)
        return super().parse_losses(losses)
