"""Checkpoint the random number generators, so a resumed run continues exactly."""
import logging
import random
from typing import Dict, List, Optional

import numpy as np
import torch
from mmengine.dist import all_gather_object, get_rank, get_world_size
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.runner import IterBasedTrainLoop

from ..registry import HOOKS

__all__ = ['RandomStateHook', 'capture_random_state', 'restore_random_state']

#: The checkpoint key holding one random state per rank.
CHECKPOINT_KEY = 'random_states'


def capture_random_state() -> Dict:
    """The states of Python's, NumPy's and torch's (CPU and current CUDA device) generators."""
    state = dict(python=random.getstate(), numpy=np.random.get_state(),
                 torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state()
    return state


def restore_random_state(state: Dict) -> None:
    """Set the generators to a :func:`capture_random_state` result."""
    random.setstate(_as_python_state(state['python']))
    np.random.set_state(state['numpy'])
    torch.set_rng_state(state['torch'].cpu())  # a resume may map checkpoints to the GPU
    if 'cuda' in state and torch.cuda.is_available():
        torch.cuda.set_rng_state(state['cuda'].cpu())


def _as_python_state(state):
    """``random.setstate`` needs tuples; a checkpoint round trip may turn them into lists."""
    return tuple(tuple(s) if isinstance(s, list) else s for s in state)


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Save every rank's random generator states in each checkpoint and restore them on resume.

    mmengine's resume restores weights, optimizers, schedulers and the position in the data,
    but re-seeds the generators, so dropout masks, augmentations and samplers after a resume
    differ from the uninterrupted run's: the result is another run, not the same one. With this
    hook (and ``randomness.deterministic=True``, which on GPUs also needs every layer to have a
    deterministic CUDA kernel) a run that is killed and resumed ends with exactly the weights of
    the uninterrupted run.

    * The states are taken after every training iteration (and epoch), before the
      ``CheckpointHook`` saves, and stored per rank under ``checkpoint['random_states']``
      (gathered from all ranks in distributed runs: one small ``all_gather_object`` per
      iteration).
    * Validation during training leaves the generators as it found them (it would otherwise
      draw from them, e.g. when its data loader starts), so a run's training randomness does
      not depend on ``val_interval`` — and a resumed run, which does not repeat the validation
      it was killed after, stays in step.
    * On resume the states are restored after mmengine has advanced the data loader to the
      resumed iteration (which re-runs the data pipeline), right before the next batch is drawn.
      Resuming with another number of processes restores nothing, with a warning.

    Data-loader worker processes are seeded by mmengine per worker and advanced with the data,
    so they need no state here. mmfreqkd's configs enable the hook; add it to any config with
    ``custom_hooks = [dict(type='mmfreqkd.RandomStateHook')]``.
    """

    priority = 'LOW'  # after the other hooks of an iteration, before the CheckpointHook saves

    def __init__(self) -> None:
        self._states: Optional[List[Dict]] = None
        self._resumed: Optional[List[Dict]] = None

    def _capture(self) -> None:
        state = capture_random_state()
        self._states = all_gather_object(state) if get_world_size() > 1 else [state]

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        self._capture()

    def after_train_epoch(self, runner) -> None:
        self._capture()

    def after_val(self, runner) -> None:
        if self._states is not None:  # validation during training
            restore_random_state(self._states[get_rank() % len(self._states)])

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        if self._states is not None:
            checkpoint[CHECKPOINT_KEY] = self._states

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        self._resumed = checkpoint.get(CHECKPOINT_KEY)

    def before_train_epoch(self, runner) -> None:
        states, self._resumed = self._resumed, None
        if states is None or (runner.iter == 0 and runner.epoch == 0):
            return  # a fresh run, or weights loaded with load_from
        if len(states) != get_world_size():
            print_log(f'RandomStateHook: the checkpoint holds the random states of '
                      f'{len(states)} processes, this run has {get_world_size()}: they are not '
                      f'restored, so the resumed run is not the exact continuation',
                      logger='current', level=logging.WARNING)
            return
        state = states[get_rank()]
        loop = runner.train_loop
        if isinstance(loop, IterBasedTrainLoop) and loop.iter > 0:
            # the loop skips `iter` batches after this hook: restore once they are drawn
            loop.dataloader_iterator = _RestoreAfter(loop.dataloader_iterator, loop.iter, state)
        else:
            restore_random_state(state)


class _RestoreAfter:
    """An iterator that restores ``state`` after ``skip`` items were drawn, then delegates."""

    def __init__(self, iterator, skip: int, state: Dict) -> None:
        self._iterator, self._skip, self._state = iterator, skip, state

    def __next__(self):
        if self._skip == 0 and self._state is not None:
            restore_random_state(self._state)
            self._state = None
        self._skip -= 1
        return next(self._iterator)

    def __iter__(self):
        return self

    def __getattr__(self, name):
        return getattr(self._iterator, name)
