"""mmfreqkd's registries: children of mmrazor's, scope ``mmfreqkd``.

Configs keep their downstream ``default_scope`` (mmseg, mmdet, mmrotate, mmpretrain), build the
algorithm with ``_scope_='mmrazor'`` and address our classes as ``type='mmfreqkd.X'``. mmengine
resolves the ``mmfreqkd.`` prefix by importing this module and searching mmrazor's children;
``locations`` then imports the modules that register the classes, so no explicit import of
``mmfreqkd.models`` is needed.

Examples:
    >>> from mmrazor.registry import MODELS as RAZOR_MODELS
    >>> RAZOR_MODELS.get('mmfreqkd.SingleTeacherKD').__name__
    'SingleTeacherKD'
"""
import difflib
from typing import Dict, List, Optional

from mmengine.registry import DATASETS as ROOT_DATASETS
from mmengine.registry import HOOKS as ROOT_HOOKS
from mmengine.registry import LOOPS as ROOT_LOOPS
from mmengine.registry import METRICS as ROOT_METRICS
from mmengine.registry import MODELS as ROOT_MODELS
from mmengine.registry import OPTIM_WRAPPER_CONSTRUCTORS as ROOT_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import RUNNERS as ROOT_RUNNERS
from mmengine.registry import TASK_UTILS as ROOT_TASK_UTILS
from mmengine.registry import TRANSFORMS as ROOT_TRANSFORMS
from mmengine.registry import Registry
from mmrazor.registry import MODELS as RAZOR_MODELS
from mmrazor.registry import TASK_UTILS as RAZOR_TASK_UTILS

__all__ = ['MODELS', 'TASK_UTILS', 'OPTIM_WRAPPER_CONSTRUCTORS', 'HOOKS', 'TRANSFORMS', 'METRICS',
           'DATASETS', 'LOOPS', 'RUNNERS', 'build_component', 'check_types']

#: Algorithms, distillers, connectors, losses, head wrappers and other ``nn.Module`` components.
MODELS = Registry(
    'model', parent=RAZOR_MODELS, scope='mmfreqkd',
    locations=['mmfreqkd.models', 'mmfreqkd.analysis'])


class _RootAlias(Registry):
    """A node of mmengine's root registry under our scope that looks every key up in one of
    ours (``target``). mmengine resolves ``'mmfreqkd.X'`` among the root's direct children,
    and :data:`MODELS` and :data:`TASK_UTILS` are mmrazor's children: without these nodes, a
    stock mmseg or mmdet model could not name ``type='mmfreqkd.X'`` outside the mmrazor scope
    (e.g. a ``decode_head``, or an assigner's ``iou_calculator``)."""

    def __init__(self, target: Registry, parent: Registry) -> None:
        super().__init__(target.name, parent=parent, scope='mmfreqkd')
        self._target = target

    def get(self, key: str):
        return self._target.get(key)


#: Non-module helpers used by components (recorders, assigners, weight computations).
TASK_UTILS = Registry(
    'task util', parent=RAZOR_TASK_UTILS, scope='mmfreqkd', locations=['mmfreqkd.models'])

_RootAlias(MODELS, parent=ROOT_MODELS)
_RootAlias(TASK_UTILS, parent=ROOT_TASK_UTILS)

#: Optimizer-wrapper constructors (``optim_wrapper.constructor='mmfreqkd.X'``). A child of
#: mmengine's root registry: the runner resolves constructors from the config's default scope
#: (mmseg, mmdet...), which reaches the root's children, not mmrazor's.
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    'optimizer wrapper constructor', parent=ROOT_OPTIM_WRAPPER_CONSTRUCTORS, scope='mmfreqkd',
    locations=['mmfreqkd.engine'])

#: Runner hooks (``custom_hooks=[dict(type='mmfreqkd.X')]``); a child of mmengine's root, like
#: the constructors, so every downstream scope reaches it.
HOOKS = Registry('hook', parent=ROOT_HOOKS, scope='mmfreqkd', locations=['mmfreqkd.engine'])

#: Runners (``runner_type='mmfreqkd.X'``, which OpenMMLab's train tools build with
#: ``RUNNERS.build(cfg)``); a child of mmengine's root.
RUNNERS = Registry('runner', parent=ROOT_RUNNERS, scope='mmfreqkd', locations=['mmfreqkd.engine'])

#: Training and validation loops (``val_cfg=dict(type='mmfreqkd.X')``); a child of mmengine's
#: root, like the hooks.
LOOPS = Registry('loop', parent=ROOT_LOOPS, scope='mmfreqkd', locations=['mmfreqkd.engine'])

#: Data transforms (``dict(type='mmfreqkd.X')`` in any stock pipeline); a child of mmengine's
#: root.
TRANSFORMS = Registry(
    'transform', parent=ROOT_TRANSFORMS, scope='mmfreqkd',
    locations=['mmfreqkd.analysis', 'mmfreqkd.datasets'])

#: Evaluator metrics (``val_evaluator=dict(type='mmfreqkd.PSNR')``); a child of mmengine's root,
#: like the hooks.
METRICS = Registry(
    'metric', parent=ROOT_METRICS, scope='mmfreqkd', locations=['mmfreqkd.evaluation'])

#: Data sets (``dict(type='mmfreqkd.PairedImageDataset')``); a child of mmengine's root.
DATASETS = Registry(
    'dataset', parent=ROOT_DATASETS, scope='mmfreqkd', locations=['mmfreqkd.datasets'])


def _registered_names(registry: Registry) -> List[str]:
    """``scope.Name`` of everything registered in ``registry``'s tree (from its root)."""
    root = registry
    while root.parent is not None:
        root = root.parent
    names, nodes = [], [root]
    while nodes:
        node = nodes.pop()
        names.extend(f'{node.scope}.{name}' for name in node.module_dict)
        nodes.extend(node.children.values())
    return names


def check_types(configs: Optional[Dict[str, Optional[dict]]], key: str,
                registry: Registry = MODELS) -> None:
    """Check that every ``configs[name]['type']`` is registered (a class passes), else raise a
    ``KeyError`` naming ``key.name.type`` and the closest registered names, before anything is
    built (mmengine's error names the type only)."""
    for name, cfg in (configs or {}).items():
        type_name = cfg.get('type') if isinstance(cfg, dict) else None
        if not isinstance(type_name, str) or registry.get(type_name) is not None:
            continue
        names = _registered_names(registry)
        bare = {n.split('.', 1)[1]: n for n in names}
        close = difflib.get_close_matches(type_name, names, n=3, cutoff=0.75)
        if not close:  # an unprefixed name: compare without the scopes
            close = [bare[m] for m in difflib.get_close_matches(
                type_name.split('.')[-1], list(bare), n=3, cutoff=0.75)]
        hint = f'; did you mean {", ".join(repr(c) for c in close)}?' if close else (
            '; no registered name is close (is the package that registers it imported, '
            'e.g. custom_imports?)')
        raise KeyError(f'{key}.{name}.type={type_name!r} is not registered{hint}')


def build_component(cfg: dict, key: str, registry: Registry = MODELS):
    """``registry.build(cfg)`` after :func:`check_types` (``key`` names the config entry, e.g.
    ``'model.adversarial.discriminator'``)."""
    parent, _, name = key.rpartition('.')
    check_types({name: cfg}, parent, registry)
    return registry.build(cfg)
