"""``LossBalanceHook``: the loss-balance diagnostic (:mod:`mmfreqkd.engine.loss_balance`)
during training, every ``interval`` iterations."""
import logging
from typing import Dict

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from ..registry import HOOKS
from .loss_balance import (DOMINATES, OFF, preserved_state, student_parameters, term_shares,
                           training_losses, verdict)

__all__ = ['LossBalanceHook']


@HOOKS.register_module()
class LossBalanceHook(Hook):
    """Every ``interval`` training iterations, each loss term's gradient on the student next to
    the task loss's, on the iteration's own batch: ``grad_share/<term>`` (the ratio of the
    norms) and ``grad_cos/<term>`` (their cosine) go to the training log, and a term that turns
    "off" (below 1 % of the task gradient) or starts to dominate (above 10x) is named in a
    warning.

    The terms are recomputed after the step, by a forward pass of the step's batch and one
    gradient per term (``torch.autograd.grad``: nothing is accumulated, nothing steps); the
    normalisation statistics and the random generators are put back as they were, so a run
    with the hook trains exactly as one without it.

    The log shows each measurement as taken (the log processor is told to report the
    current value of these keys, not a mean over its window: a key holding "loss" would be
    averaged), at the iteration it was taken.

    A model without a distiller (a teacher or student trained alone) is left alone.
    :class:`~mmfreqkd.engine.SafeRunner` adds this hook (interval 50) to every distillation
    run whose ``custom_hooks`` do not list it.

    Args:
        interval: iterations between two measurements ([our default] 50).

    Examples:
        >>> custom_hooks = [dict(type='mmfreqkd.LossBalanceHook', interval=50)]
    """

    priority = 'NORMAL'  # before the logger, which then logs this iteration's measurement

    def __init__(self, interval: int = 50) -> None:
        if interval < 1:
            raise ValueError(f'LossBalanceHook: interval must be at least 1, got {interval}')
        self.interval = interval
        self._verdicts: Dict[str, str] = {}

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        if data_batch is None or not self.every_n_train_iters(runner, self.interval):
            return
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        if not hasattr(model, 'distiller'):
            return
        with preserved_state(model):
            shares = term_shares(training_losses(model, data_batch), student_parameters(model))
        for share in shares[1:]:
            for key, value in ((f'grad_share/{share.name}', share.ratio),
                               (f'grad_cos/{share.name}', share.cosine)):
                _log_current(runner, key)
                runner.message_hub.update_scalar(f'train/{key}', value)
            state = verdict(share.ratio)
            if state and self._verdicts.get(share.name) != state:
                print_log(f'LossBalanceHook: iteration {runner.iter + 1}: {share.name} is '
                          f'{state!r}: its gradient is {share.ratio:.3g} of the task gradient '
                          f'(off below {OFF:g}, dominates above {DOMINATES:g})',
                          logger='current', level=logging.WARNING)
            self._verdicts[share.name] = state


def _log_current(runner, key: str) -> None:
    """Have the run's log processor report ``key``'s current value."""
    custom = runner.log_processor.custom_cfg
    if not any(cfg.get('data_src') == key for cfg in custom):
        custom.append(dict(data_src=key, method_name='current'))
