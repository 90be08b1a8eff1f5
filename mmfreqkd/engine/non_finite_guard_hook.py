"""Stop (or skip) a training step on the first non-finite loss or gradient, before the
optimizer applies it, and never write a checkpoint holding non-finite weights."""
import logging
from typing import Dict, List

import torch
from mmengine.dist import all_reduce, get_world_size
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.optim import AmpOptimWrapper, OptimWrapper, OptimWrapperDict
from mmengine.runner import find_latest_checkpoint

from ..registry import HOOKS

__all__ = ['NonFiniteGuardHook', 'NonFiniteError']


class NonFiniteError(FloatingPointError):
    """A loss, a gradient or a weight to be saved is NaN or infinite."""


@HOOKS.register_module()
class NonFiniteGuardHook(Hook):
    """Guard a run against NaN/Inf losses, gradients and checkpoints.

    Without it, a run whose loss became NaN (a bad normalisation, ``std=0`` in the data
    preprocessor, a learning rate too high) trains on to the end, writes checkpoints full of
    NaN and points ``last_checkpoint`` at one. With it:

    * every loss term the model's ``parse_losses`` returns is checked before the backward
      pass; in distributed runs the ranks agree (one all-reduce of a flag), so all stop or skip
      together;
    * every plain ``OptimWrapper``'s gradients are checked before its ``step`` (under AMP the
      loss scaler already skips steps with non-finite gradients and lowers its scale, so
      ``AmpOptimWrapper`` is left to it);
    * on the first non-finite value the run stops with :class:`NonFiniteError` naming the loss
      terms (or parameters), the iteration and the last good checkpoint; the optimizer has not
      applied the step, so the weights in memory and on disk are the last finite ones. With
      ``max_skips > 0`` the step is skipped instead with a warning, up to ``max_skips`` times in
      the run: no optimizer update, and the buffers the forward pass changed (batch-norm
      statistics) are put back, from a copy taken before each iteration;
    * a checkpoint whose weights contain a non-finite value is refused before it is written.

    mmfreqkd's configs enable it (``configs/_base_/mmfreqkd_runtime.py``); add it to any config
    with ``custom_hooks = [dict(type='mmfreqkd.NonFiniteGuardHook')]``.

    Args:
        max_skips: how many non-finite steps may be skipped before the run stops ([our
            default] 0: stop at the first).
        check_grads: also check gradients before each optimizer step ([our default] True; a
            norm per parameter tensor, a small cost next to the step).
    """

    priority = 'VERY_HIGH'

    def __init__(self, max_skips: int = 0, check_grads: bool = True) -> None:
        if max_skips < 0:
            raise ValueError(f'NonFiniteGuardHook.max_skips must be >= 0, got {max_skips}')
        self.max_skips = max_skips
        self.check_grads = check_grads
        self.skipped = 0
        self._skip_step = False
        self._last_losses: Dict[str, float] = {}
        self._param_names: Dict[int, str] = {}
        self._buffers: List = []
        self._model = None

    # -- installation -------------------------------------------------------------------------
    def before_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        parse_losses = model.parse_losses

        def guarded_parse_losses(losses):
            loss, log_vars = parse_losses(losses)
            self._check_losses(runner, log_vars)
            return loss, log_vars

        model.parse_losses = guarded_parse_losses
        self._model = model
        self._param_names = {id(p): n for n, p in model.named_parameters()}
        for name, wrapper in _optim_wrappers(runner.optim_wrapper):
            self._guard_step(runner, name, wrapper)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        if self._skip_step:  # after the backward pass, which may need the buffers as they were
            with torch.no_grad():
                for buffer, saved in self._buffers:
                    buffer.copy_(saved)

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        self._skip_step = False
        if self.max_skips > self.skipped:
            self._buffers = [(b, b.detach().clone()) for b in self._model.buffers()
                             if b.is_floating_point()]

    def _guard_step(self, runner, name: str, wrapper: OptimWrapper) -> None:
        step = wrapper.step

        def guarded_step(**kwargs):
            if self._skip_step:
                return None
            check = self.check_grads and not isinstance(wrapper, AmpOptimWrapper)
            bad = _non_finite_grads(wrapper, self._param_names) if check else []
            if bad:
                self._handle(runner, f'non-finite gradients of optim_wrapper'
                             f'{"." + name if name else ""} ({len(bad)} parameter tensors, '
                             f'first: {bad[:5]}) with the losses {self._last_losses}')
                return None
            return step(**kwargs)

        wrapper.step = guarded_step

    # -- checks -------------------------------------------------------------------------------
    def _check_losses(self, runner, log_vars: Dict[str, torch.Tensor]) -> None:
        device = _device_of(log_vars)
        values = torch.stack([torch.as_tensor(v, device=device).detach().float().reshape(())
                              for v in log_vars.values()])  # one host transfer per step, below
        flag = (~torch.isfinite(values)).any().float().reshape(1)
        if get_world_size() > 1:
            all_reduce(flag, op='sum')  # some rank saw a non-finite loss: all of them act
        host = torch.cat([flag, values]).tolist()
        self._last_losses = {n: round(v, 6) for n, v in zip(log_vars, host[1:])}
        if host[0] == 0:
            return
        bad = {n: v for n, v in self._last_losses.items() if not torch.isfinite(torch.tensor(v))}
        self._handle(runner, f'non-finite loss terms {bad or "on another rank"} (all terms: '
                     f'{self._last_losses})')

    def _handle(self, runner, what: str) -> None:
        iteration = runner.iter + 1
        if self.skipped < self.max_skips:
            self.skipped += 1
            self._skip_step = True
            print_log(f'NonFiniteGuardHook: iteration {iteration}: {what}; the optimizer step '
                      f'is skipped ({self.skipped} of max_skips={self.max_skips})',
                      logger='current', level=logging.WARNING)
            return
        last = find_latest_checkpoint(runner.work_dir)
        raise NonFiniteError(
            f'iteration {iteration}: {what}. The step was not applied, and no checkpoint with '
            f'these values is written. Last good checkpoint: '
            f'{last if last else "none yet (the run saved no checkpoint)"}. Look for a '
            f'data or normalisation problem (e.g. data_preprocessor.std), lower the learning '
            f'rate, or allow skipping: NonFiniteGuardHook(max_skips=N).')

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        bad = [k for k, v in checkpoint.get('state_dict', {}).items()
               if torch.is_tensor(v) and v.is_floating_point() and not torch.isfinite(v).all()]
        if bad:
            last = find_latest_checkpoint(runner.work_dir)
            raise NonFiniteError(
                f'refusing to save a checkpoint at iteration {runner.iter}: {len(bad)} '
                f'weights are not finite (first: {bad[:5]}). Last good checkpoint: {last}')


def _optim_wrappers(optim_wrapper) -> List:
    if isinstance(optim_wrapper, OptimWrapperDict):
        return list(optim_wrapper.items())
    return [('', optim_wrapper)] if isinstance(optim_wrapper, OptimWrapper) else []


def _non_finite_grads(wrapper: OptimWrapper, names: Dict[int, str]) -> List[str]:
    """Names of the parameters of ``wrapper`` whose gradient holds a NaN or Inf."""
    params = [p for group in wrapper.optimizer.param_groups for p in group['params']
              if p.grad is not None]
    if not params:
        return []
    norms = torch.stack([p.grad.detach().float().norm() for p in params])
    if torch.isfinite(norms.sum()):
        return []
    return [names.get(id(p), f'<unnamed {tuple(p.shape)}>')
            for p, n in zip(params, norms) if not torch.isfinite(n)]


def _device_of(log_vars: Dict[str, torch.Tensor]) -> torch.device:
    for value in log_vars.values():
        if torch.is_tensor(value):
            return value.device
    return torch.device('cpu')
