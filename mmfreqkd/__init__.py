"""mmfreqkd: frequency- and texture-domain knowledge distillation for OpenMMLab.

Importing the package applies :mod:`mmfreqkd.compat` (mmrazor on torch 2, safe checkpoint
loading) and creates the ``mmfreqkd`` registries; components register lazily through the
registries' ``locations``. Add ``custom_imports=dict(imports=['mmfreqkd'])`` to any mm config.
"""
from . import compat
from .version import __version__

compat.apply()

from .registry import MODELS, OPTIM_WRAPPER_CONSTRUCTORS, TASK_UTILS  # noqa: E402

__all__ = ['__version__', 'MODELS', 'OPTIM_WRAPPER_CONSTRUCTORS', 'TASK_UTILS']
