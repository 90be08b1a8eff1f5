"""``LossCalibrationHook``: the calibration of :mod:`mmfreqkd.engine.loss_calibration` before
training starts."""
import copy

from mmengine.dist import broadcast_object_list, get_rank
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from ..registry import HOOKS
from .loss_calibration import calibrate

__all__ = ['LossCalibrationHook', 'calibration_loader']


@HOOKS.register_module()
class LossCalibrationHook(Hook):
    """Before the first training iteration, calibrate the loss terms of an algorithm built
    with ``model.calibration`` (a no-op for any other model): each distillation term's
    multiplier makes its gradient share on the student equal its target, measured on the
    first ``model.calibration.batches`` training batches. The chosen multipliers are logged
    and saved with the model in every checkpoint; a resumed run keeps them and does not
    calibrate again. With several processes, rank 0's multipliers are used by all.

    The batches come from a data loader of its own, built from ``train_dataloader`` with the
    run's seed (in one process, without workers): the training loop's loader, whose infinite
    sampler is one generator for all its iterators, sees the same batches as without
    calibration.

    :class:`~mmfreqkd.engine.SafeRunner` adds this hook when the model asks for calibration,
    so it is switched on from the command line: ``--cfg-options
    model.calibration.target=1``; with another runner, list it in ``custom_hooks``.
    """

    priority = 'LOW'

    def before_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        settings = getattr(model, 'loss_scales', None)
        if settings is None:
            return
        if settings.calibrated:
            print_log(f'LossCalibrationHook: the loss multipliers of the checkpoint are kept: '
                      f'{_format(settings.scales)}', logger='current')
            return
        chosen = calibrate(model, calibration_loader(runner.cfg, runner.seed)) \
            if get_rank() == 0 else None
        shared = [settings.scales]
        broadcast_object_list(shared)  # rank 0's multipliers for every rank
        settings.set(shared[0])
        if chosen is None:
            return
        lines = [f'  {t.name:32s} share {t.share:9.3g} -> {t.target:g}: x {t.scale:.4g}'
                 for t in chosen]
        print_log('LossCalibrationHook: loss multipliers, from the gradient shares on '
                  f'{settings.batches} batch(es):\n' + '\n'.join(lines), logger='current')
        for term in chosen:
            runner.message_hub.update_info(f'loss_scale/{term.name}', term.scale)


def calibration_loader(cfg, seed: int):
    """A one-process data loader of a config's training data, seeded as its run."""
    loader = copy.deepcopy(cfg.train_dataloader)
    loader.update(num_workers=0, persistent_workers=False)
    return Runner.build_dataloader(loader, seed=seed)


def _format(scales: dict) -> str:
    return ', '.join(f'{name} x {scale:.4g}' for name, scale in scales.items()) or 'none'
