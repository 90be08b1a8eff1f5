"""mmengine's ``CheckpointHook`` with an order of operations that a kill cannot break.

mmengine's hook, when ``max_keep_ckpts`` checkpoints exist, first deletes the oldest, then
writes the new one in place under its final name, then rewrites ``last_checkpoint``. A process
killed during the save leaves a partial ``iter_N.pth``; with ``max_keep_ckpts=1`` it leaves no
intact checkpoint at all, and ``last_checkpoint`` names a file that is gone.

This hook keeps every option of mmengine's and changes only the order: the new checkpoint is
written under a temporary name and renamed into place (:class:`~mmfreqkd.engine.SafeRunner`
does that and records its hash), ``last_checkpoint`` is replaced atomically, and only then
are the checkpoints beyond ``max_keep_ckpts`` removed (and dropped from the run record).
:class:`SafeRunner` builds its checkpoint hook as this one.
"""
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook

from ..fileio import atomic_write
from ..registry import HOOKS
from ..run_record import RunRecord

__all__ = ['AtomicCheckpointHook']


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """``CheckpointHook`` that removes old checkpoints only after the new one is complete and
    replaces ``last_checkpoint`` atomically (same arguments as mmengine's)."""

    def _save_checkpoint_with_step(self, runner, step, meta):
        outdated = []  # removed once the new checkpoint is in place
        if self.max_keep_ckpts > 0 and not (self.keep_ckpt_ids
                                            and self.keep_ckpt_ids[-1] == step):
            # (a step saved twice, e.g. as the best and the latest, is kept once)
            while len(self.keep_ckpt_ids) >= self.max_keep_ckpts:
                outdated.append(self.keep_ckpt_ids.popleft())
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids', list(self.keep_ckpt_ids))

        ckpt_filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir, ckpt_filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        runner.save_checkpoint(
            self.out_dir, ckpt_filename, self.file_client_args,
            save_optimizer=self.save_optimizer, save_param_scheduler=self.save_param_scheduler,
            meta=meta, by_epoch=self.by_epoch, backend_args=self.backend_args, **self.args)
        if not is_main_process():
            return
        atomic_write(osp.join(runner.work_dir, 'last_checkpoint'), self.last_ckpt)
        for old in outdated:
            path = self.file_backend.join_path(self.out_dir, self.filename_tmpl.format(old))
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)
            elif self.file_backend.isdir(path):  # checkpoints saved by DeepSpeed are folders
                self.file_backend.rmtree(path)
            if '://' not in path:
                RunRecord(runner.work_dir).forget(path)
