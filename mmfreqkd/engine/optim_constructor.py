"""One optimizer per sub-model, skipping sub-models a config switched off."""
import torch.nn as nn
from mmengine.logging import print_log
from mmengine.optim import OptimWrapperDict
from mmrazor.engine import SeparateOptimWrapperConstructor as RazorConstructor

from ..registry import OPTIM_WRAPPER_CONSTRUCTORS

__all__ = ['SeparateOptimWrapperConstructor']


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class SeparateOptimWrapperConstructor(RazorConstructor):
    """mmrazor's ``SeparateOptimWrapperConstructor`` (an ``OptimWrapperDict`` with one wrapper
    per named sub-model, e.g. ``architecture``, ``distiller``, ``discriminator``), except that
    a configured sub-model the model does not have (``model.adversarial=None`` removes the
    critic) is skipped with a log line instead of a KeyError, so an ablation is one override.

    Examples:
        >>> optim_wrapper = dict(
        ...     constructor='mmfreqkd.SeparateOptimWrapperConstructor',
        ...     architecture=dict(optimizer=dict(type='SGD', lr=0.01)),
        ...     discriminator=dict(optimizer=dict(type='Adam', lr=4e-4)))
    """

    def __call__(self, module: nn.Module) -> OptimWrapperDict:
        model = module.module if hasattr(module, 'module') else module
        missing = [key for key in self.constructors if key not in model._modules]
        if missing:
            print_log(f'optim_wrapper: the model has no {missing}: no optimizer built for them',
                      logger='current')
        return OptimWrapperDict(**{
            key: constructor(model._modules[key])
            for key, constructor in self.constructors.items() if key not in missing})
