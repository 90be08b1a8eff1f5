"""One optimizer per sub-model of an algorithm, with a default for those not named."""
from typing import Optional

import torch.nn as nn
from mmengine.logging import print_log
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapperDict

from ..registry import OPTIM_WRAPPER_CONSTRUCTORS

__all__ = ['SubModelOptimWrapperConstructor']

#: Keys of one optimizer wrapper's config (everything else names a sub-model).
WRAPPER_KEYS = ('type', 'optimizer', 'clip_grad', 'accumulative_counts', 'loss_scale', 'dtype',
                'paramwise_cfg')


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class SubModelOptimWrapperConstructor:
    """Build an ``OptimWrapperDict`` with one wrapper per trainable sub-model.

    Like mmrazor's ``SeparateOptimWrapperConstructor`` (``architecture=dict(...)``,
    ``discriminator=dict(...)``: one wrapper config per sub-model), plus:

    * the wrapper keys at the top level (``type``, ``optimizer``, ``clip_grad``... as a stock
      schedule config defines them) are the **default** for every other sub-model with
      trainable parameters (e.g. the student ``architecture`` and the ``distiller``'s
      connectors), so a config on top of a stock schedule only names what differs;
    * a named sub-model the model does not have (``model.adversarial=None`` removes the
      critic) is skipped with a log line, so an ablation is one override.

    Examples:
        >>> # on top of mmseg's schedule_80k.py (SGD lr 0.01 for student and connectors):
        >>> optim_wrapper = dict(
        ...     constructor='mmfreqkd.SubModelOptimWrapperConstructor',
        ...     discriminator=dict(optimizer=dict(type='Adam', lr=4e-4, betas=(0.9, 0.99))))
    """

    def __init__(self, optim_wrapper_cfg: dict, paramwise_cfg: Optional[dict] = None) -> None:
        cfg = dict(optim_wrapper_cfg)
        shared = {k: cfg.pop(k) for k in list(cfg) if k.startswith('_')}  # e.g. _scope_
        default = {k: cfg.pop(k) for k in WRAPPER_KEYS if k in cfg}
        if paramwise_cfg is not None:
            default['paramwise_cfg'] = paramwise_cfg
        self.default = _constructor({**shared, **default}) if 'optimizer' in default else None
        self.constructors = {key: _constructor({**shared, **value}) for key, value in cfg.items()}

    def __call__(self, module: nn.Module) -> OptimWrapperDict:
        model = module.module if hasattr(module, 'module') else module
        missing = [key for key in self.constructors if key not in model._modules]
        if missing:
            print_log(f'optim_wrapper: the model has no {missing}: no optimizer built for them',
                      logger='current')
        wrappers = {}
        for name, sub in model._modules.items():
            constructor = self.constructors.get(name)
            if constructor is None and self.default is not None and any(
                    p.requires_grad for p in sub.parameters()):
                constructor = self.default
            if constructor is not None:
                wrappers[name] = constructor(sub)
        return OptimWrapperDict(**wrappers)


def _constructor(cfg: dict) -> DefaultOptimWrapperConstructor:
    paramwise_cfg = cfg.pop('paramwise_cfg', None)
    return DefaultOptimWrapperConstructor(cfg, paramwise_cfg)
