"""The few fixes the upstream OpenMMLab stack needs, applied once on ``import mmfreqkd``.

1. **mmrazor 1.0.0 on torch 2.x.** ``mmrazor.structures`` imports its quantization package,
   whose module-level code builds torch-1.13 backend configs from symbols torch 2 removed, so
   ``import mmrazor.models`` fails. When (and only when) that real import fails, a stand-in
   ``mmrazor.structures.quantization`` module is registered before mmrazor is imported again.
   Knowledge distillation never touches it; mmrazor's quantization algorithms raise a clear
   ``ImportError`` if used. mmrazor's models and engine are then imported so that configs with
   ``_scope_='mmrazor'`` find ``SingleTeacherDistill``, ``ConfigurableDistiller``, its losses and
   ``SingleTeacherDistillValLoop`` without calling ``mmrazor.utils.register_all_modules``.
2. **Checkpoint loading under torch's weights-only default.** mmengine's local and HTTP loaders
   are re-registered to go through :func:`mmfreqkd.checkpoint.torch_load`: external weights load
   with ``weights_only=True`` (numpy allow-listed), ``Runner.resume`` is a trusted load (the run's
   own checkpoint pickles ``builtins.getattr`` via mmengine's ``HistoryBuffer``), and the runner's
   ``load_from`` is trusted when the file lies in the run's own ``work_dir`` (a checkpoint this
   run wrote) or the config sets ``trust_load_from=True``.
   ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` is never set.
"""
import functools
import importlib
import os
import os.path as osp
import sys
import types

from .checkpoint import is_inside, torch_load, trusted_checkpoints

__all__ = ['apply', 'mmrazor_needs_quantization_standin']

_QUANT_MODULE = 'mmrazor.structures.quantization'


def mmrazor_needs_quantization_standin() -> bool:
    """Whether mmrazor's real quantization package fails to import on this torch."""
    if _QUANT_MODULE in sys.modules:
        return getattr(sys.modules[_QUANT_MODULE], '__mmfreqkd_standin__', False)
    try:
        importlib.import_module(_QUANT_MODULE)
    except (AttributeError, ImportError):
        # Drop the submodules that did import, so the stand-in is the whole package.
        for name in [n for n in sys.modules if n.startswith(_QUANT_MODULE)]:
            del sys.modules[name]
        return True
    return False


def _quantization_standin() -> types.ModuleType:
    module = types.ModuleType(_QUANT_MODULE)
    module.__doc__ = ('Stand-in installed by mmfreqkd.compat: mmrazor 1.0.0 quantization '
                      'needs torch 1.13 APIs that this torch lacks.')
    module.__mmfreqkd_standin__ = True

    class QConfigHandler:
        """Raises: mmrazor's quantization is unavailable on this torch."""

        def __init__(self, *args, **kwargs):
            import torch
            raise ImportError(
                f'mmrazor 1.0.0 quantization (QConfigHandler) needs torch 1.13; torch '
                f'{torch.__version__} is installed. Knowledge distillation does not need it.')

    module.BackendConfigs = {}
    module.QConfigHandler = QConfigHandler
    module.__all__ = ['BackendConfigs', 'QConfigHandler']
    return module


def _make_mmrazor_importable() -> None:
    if mmrazor_needs_quantization_standin():
        sys.modules[_QUANT_MODULE] = _quantization_standin()
    importlib.import_module('mmrazor.models')
    importlib.import_module('mmrazor.engine')


def _load_from_local(filename, map_location):
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    return torch_load(filename, map_location=map_location, source=filename)


def _load_from_http(filename, map_location=None, model_dir=None, progress=None):
    """Download once (rank 0 first, like mmengine) into torch's hub cache, then load safely."""
    import torch
    from mmengine.dist import barrier, get_dist_info

    cache_dir = model_dir or osp.join(torch.hub.get_dir(), 'checkpoints')
    cached = osp.join(cache_dir, osp.basename(filename.split('?')[0]))
    rank, world_size = get_dist_info()
    if rank == 0 and not osp.isfile(cached):
        os.makedirs(cache_dir, exist_ok=True)
        torch.hub.download_url_to_file(filename, cached, progress=bool(progress))
    if world_size > 1:
        barrier()
    return torch_load(cached, map_location=map_location, source=filename)


def _install_checkpoint_loaders() -> None:
    from mmengine.runner import checkpoint as ckpt

    if getattr(ckpt, '__mmfreqkd_patched__', False):
        return
    ckpt.CheckpointLoader.register_scheme(prefixes='', loader=_load_from_local, force=True)
    ckpt.CheckpointLoader.register_scheme(
        prefixes=('http://', 'https://'), loader=_load_from_http, force=True)
    # torchvision://, open-mmlab://, mmcls:// ... resolve to URLs and call these module globals.
    ckpt.load_from_local = _load_from_local
    ckpt.load_from_http = _load_from_http
    ckpt.__mmfreqkd_patched__ = True


def _install_runner_trust() -> None:
    from mmengine.runner import Runner

    if getattr(Runner, '__mmfreqkd_patched__', False):
        return
    resume, load_checkpoint = Runner.resume, Runner.load_checkpoint

    @functools.wraps(resume)
    def trusted_resume(self, filename, *args, **kwargs):
        with trusted_checkpoints([filename]):
            return resume(self, filename, *args, **kwargs)

    @functools.wraps(load_checkpoint)
    def policy_load_checkpoint(self, filename, *args, **kwargs):
        trusted = self.cfg.get('trust_load_from', False) or is_inside(filename, self.work_dir)
        with trusted_checkpoints([filename] if trusted else [],
                                 hint='set `trust_load_from=True` in the config'):
            return load_checkpoint(self, filename, *args, **kwargs)

    Runner.resume = trusted_resume
    Runner.load_checkpoint = policy_load_checkpoint
    Runner.__mmfreqkd_patched__ = True


def apply() -> None:
    """Apply every fix; idempotent."""
    _make_mmrazor_importable()
    _install_checkpoint_loaders()
    _install_runner_trust()
