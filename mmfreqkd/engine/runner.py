"""``SafeRunner``: mmengine's ``Runner`` with the guarantees that a run loses nothing a user
owns. Our configs select it (``runner_type='mmfreqkd.SafeRunner'`` in
``configs/_base_/mmfreqkd_hooks.py``), and ``tools/train.py`` / ``tools/test.py`` use it for any
config that names no runner. What it adds:

* **One run per work dir** (:class:`~mmfreqkd.engine.work_dir_lock.WorkDirLock`): a second
  run on a work dir in use stops before it writes anything, naming the work dir and the run
  holding it; a lock left by a killed run is taken over with a warning.
* **Atomic checkpoints**: each checkpoint is written under a temporary name (which the next
  run on the work dir removes if a kill left it half-written), flushed and renamed into place,
  then recorded with its hash in the run record (:mod:`mmfreqkd.run_record`), which is what
  makes it trusted when it is loaded again; the
  checkpoint hook is built as :class:`~mmfreqkd.engine.AtomicCheckpointHook` (old checkpoints
  are removed only after the new one is complete, ``last_checkpoint`` replaced atomically).
* **Resume that falls back**: ``resume=True`` without a file continues from the checkpoint
  ``last_checkpoint`` names when it is intact, else from the newest intact recorded one, and
  says which and why; with nothing to resume it says so plainly and starts from iteration 0.
* **Schedules that train**: ``train_cfg.max_iters`` / ``max_epochs`` <= 0 is an error.
* **Distillation terms in view**: for a distillation algorithm (a model with a distiller), the
  loss-balance diagnostic (:class:`~mmfreqkd.engine.LossBalanceHook`, every 50 iterations)
  and, when the model asks for calibration (``model.calibration``),
  :class:`~mmfreqkd.engine.LossCalibrationHook`, unless ``custom_hooks`` lists them already.
"""
import contextlib
import glob
import logging
import os
import os.path as osp
import weakref
from typing import Optional

from mmengine.dist import master_only
from mmengine.hooks import CheckpointHook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from ..fileio import replacing
from ..registry import RUNNERS
from ..run_record import RunRecord
from .atomic_checkpoint_hook import AtomicCheckpointHook
from .work_dir_lock import WorkDirLock

__all__ = ['SafeRunner']

_STOCK_CHECKPOINT_HOOKS = ('CheckpointHook', 'mmengine.CheckpointHook', CheckpointHook)


def _launcher_rank() -> int:
    """This process's global rank as its launcher set it, before the process group exists
    (torchrun: ``RANK``; slurm: ``SLURM_PROCID``; OpenMPI: ``OMPI_COMM_WORLD_RANK``)."""
    for key in ('RANK', 'SLURM_PROCID', 'OMPI_COMM_WORLD_RANK'):
        if os.environ.get(key, '').isdigit():
            return int(os.environ[key])
    return 0


def _remove_partial_files(work_dir: str) -> None:
    """Remove what a killed run left half-written in ``work_dir``: the temporary files of its
    atomic writes (:func:`mmfreqkd.fileio.temporary_path`), under the work dir's lock."""
    for path in glob.glob(osp.join(work_dir, '.*.partial*')):
        if osp.isfile(path):
            os.remove(path)
            print_log(f'{path}: removed, a file a killed run left half-written',
                      logger='current', level=logging.WARNING)


def _check_schedule(train_cfg: Optional[dict]) -> None:
    for key in ('max_iters', 'max_epochs'):
        value = (train_cfg or {}).get(key)
        if value is not None and value <= 0:
            raise ValueError(f'train_cfg.{key}={value}: a run must train at least one '
                             f'{key[4:-1]}')


def _atomic_checkpoint_hook(default_hooks: Optional[dict]) -> dict:
    """``default_hooks`` with mmengine's checkpoint hook (its default one too) built as
    :class:`AtomicCheckpointHook`, with the same options."""
    hooks = dict(default_hooks or {})
    checkpoint = hooks.get('checkpoint', dict(type='CheckpointHook', interval=1))
    if isinstance(checkpoint, dict) and checkpoint.get('type') in _STOCK_CHECKPOINT_HOOKS:
        hooks['checkpoint'] = dict(checkpoint, type=AtomicCheckpointHook)
    return hooks


@RUNNERS.register_module()
class SafeRunner(Runner):
    """mmengine's ``Runner`` (same arguments) with a work-dir lock, atomic and recorded
    checkpoints and a resume that falls back to the newest intact checkpoint (see the module
    docstring)."""

    def __init__(self, model, work_dir: str, *args, default_hooks=None, train_cfg=None,
                 **kwargs) -> None:
        _check_schedule(train_cfg)
        self._work_dir_lock = None
        if _launcher_rank() == 0:
            self._work_dir_lock = WorkDirLock(work_dir).acquire()
            weakref.finalize(self, self._work_dir_lock.release)
            _remove_partial_files(work_dir)
        super().__init__(model, work_dir, *args, default_hooks=_atomic_checkpoint_hook(
            default_hooks), train_cfg=train_cfg, **kwargs)

    def register_hooks(self, default_hooks=None, custom_hooks=None) -> None:
        """mmengine's hooks, then the distillation hooks the model needs and the config does
        not list (see the module docstring)."""
        super().register_hooks(default_hooks, custom_hooks)
        model = self.model.module if is_model_wrapper(self.model) else self.model
        listed = {type(hook).__name__ for hook in self.hooks}
        if hasattr(model, 'distiller') and 'LossBalanceHook' not in listed:
            self.register_hook(dict(type='mmfreqkd.LossBalanceHook', interval=50))
        if getattr(model, 'loss_scales', None) is not None and \
                'LossCalibrationHook' not in listed:
            self.register_hook(dict(type='mmfreqkd.LossCalibrationHook'))

    def release_work_dir(self) -> None:
        """Release the work dir's lock (at the end of :meth:`train`, :meth:`val` and
        :meth:`test`, or when the runner is freed)."""
        if self._work_dir_lock is not None:
            self._work_dir_lock.release()

    @contextlib.contextmanager
    def _holding_work_dir(self):
        try:
            yield
        finally:
            self.release_work_dir()

    def train(self):
        with self._holding_work_dir():
            return super().train()

    def val(self):
        with self._holding_work_dir():
            return super().val()

    def test(self):
        with self._holding_work_dir():
            return super().test()

    @master_only
    def save_checkpoint(self, out_dir: str, filename: str, *args, **kwargs) -> None:
        """mmengine's ``save_checkpoint``, written to a temporary name beside the target and
        renamed into place once complete, then recorded in the run record."""
        if '://' in out_dir:  # a remote storage backend: no rename there
            return super().save_checkpoint(out_dir, filename, *args, **kwargs)
        final = osp.join(out_dir, filename)
        with replacing(final) as tmp:
            super().save_checkpoint(osp.dirname(tmp), osp.basename(tmp), *args, **kwargs)
        RunRecord(self.work_dir).add(final)

    def load_or_resume(self) -> None:
        if self._resume and self._load_from is None and not self._has_loaded:
            latest = self._latest_intact_checkpoint()
            if latest is None:
                self.logger.warning(
                    f'resume: there is no checkpoint to resume from in work_dir='
                    f'{osp.abspath(self.work_dir)!r} (no last_checkpoint file and no intact '
                    f'recorded checkpoint): training starts from iteration 0. Check '
                    f'--work-dir if you meant to continue a run.')
                self._resume = False
            else:
                self._load_from = latest
        return super().load_or_resume()

    def _latest_intact_checkpoint(self) -> Optional[str]:
        """The checkpoint ``last_checkpoint`` names if it is intact, else the newest intact
        one of the run record (logging why), else None."""
        pointer = osp.join(self.work_dir, 'last_checkpoint')
        record = RunRecord(self.work_dir)
        named = ''
        if osp.isfile(pointer):
            with open(pointer) as f:
                named = f.read().strip()
        entry = record.entry(named) if named else None
        if named and osp.isfile(named) and osp.getsize(named) > 0 and (
                entry is None and not record.checkpoints or entry and record.intact(entry)):
            return named  # intact, or the work dir of a run that kept no record
        if not osp.isfile(pointer):
            why = 'there is no last_checkpoint file'
        elif not named:
            why = 'last_checkpoint is empty'
        elif not osp.isfile(named) or osp.getsize(named) == 0:
            why = f'last_checkpoint names {named}, which is missing or empty'
        else:
            why = (f'last_checkpoint names {named}, whose content does not match the run '
                   f'record (damaged, or not saved by a run of this work dir)')
        fallback = record.newest_intact()
        if fallback is not None:
            self.logger.warning(
                f'resume: {why}; resuming from the newest intact checkpoint instead: {fallback}')
        return fallback
