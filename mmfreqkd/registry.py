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
from mmengine.registry import OPTIM_WRAPPER_CONSTRUCTORS as ROOT_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import Registry
from mmrazor.registry import MODELS as RAZOR_MODELS
from mmrazor.registry import TASK_UTILS as RAZOR_TASK_UTILS

__all__ = ['MODELS', 'TASK_UTILS', 'OPTIM_WRAPPER_CONSTRUCTORS']

#: Algorithms, distillers, connectors, losses and other ``nn.Module`` components.
MODELS = Registry(
    'model', parent=RAZOR_MODELS, scope='mmfreqkd', locations=['mmfreqkd.models'])

#: Non-module helpers used by components (recorders, assigners, weight computations).
TASK_UTILS = Registry(
    'task util', parent=RAZOR_TASK_UTILS, scope='mmfreqkd', locations=['mmfreqkd.models'])

#: Optimizer-wrapper constructors (``optim_wrapper.constructor='mmfreqkd.X'``). A child of
#: mmengine's root registry: the runner resolves constructors from the config's default scope
#: (mmseg, mmdet...), which reaches the root's children, not mmrazor's.
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    'optimizer wrapper constructor', parent=ROOT_OPTIM_WRAPPER_CONSTRUCTORS, scope='mmfreqkd',
    locations=['mmfreqkd.engine'])
