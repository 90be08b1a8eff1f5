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
   own checkpoint pickles ``builtins.getattr`` via mmengine's ``HistoryBuffer``) when the file is
   one a run of the work dir saved (its hash is in the work dir's run record,
   :mod:`mmfreqkd.run_record`) or the config sets ``trust_load_from=True``; any other file,
   wherever it lies, is external. ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` is never
   set.
3. **Checkpoints independent of the model wrapper.** mmengine's
   ``MMSeparateDistributedDataParallel`` wraps each trainable child of a model (student,
   distiller, critic) in DDP, so the model's state dict names them ``architecture.module.x``,
   while mmengine's loader (which unwraps as it descends) expects ``architecture.x``: a resumed
   run silently re-initialised them. The wrapped model's state dict now uses the unwrapped
   names (:func:`mmfreqkd.checkpoint.strip_wrapper_keys`); older checkpoints with wrapper names
   load too. A resume that leaves any parameter or buffer unloaded is an error naming the keys
   and the file, and ``strict_load_from=True`` asks the same of ``load_from`` (tools/test.py).
4. **Data errors name the file.** A sample whose pipeline fails (an undecodable image, a
   missing annotation) raises :class:`DataSampleError` naming the dataset, the index and the
   sample's files, instead of e.g. OpenCV's bare ``!buf.empty()``. An image above the pixel
   limit (:mod:`mmfreqkd.datasets.image_size`) is refused from its header before the pipeline
   decodes it (skipped under a ``SkipUnreadable`` step).
5. **mmrazor's classification configs on mmpretrain** (:mod:`mmfreqkd.mmcls_alias`): where
   mmcls is not installed, the ``mmcls`` package, config paths and registry scope resolve to
   mmpretrain.
6. **``mmfreqkd::`` config paths.** mmengine reads ``_base_ = 'pkg::path'`` only for the
   packages of its ``MODULE2PACKAGE`` table, and sets ``_scope_=pkg`` on every typed dict of
   such a base (our configs name mmseg/mmdet types in their own default scope, which that
   would break). A config of the user's own project inherits ours with
   ``_base_ = ['mmfreqkd::sstkd/...py']``: the path resolves to our configs folder and reads
   as a local file would, when the process imported mmfreqkd first (our tools,
   ``mim train mmfreqkd``).
"""
import functools
import importlib
import os
import os.path as osp
import re
import sys
import types
from collections.abc import Mapping

from . import mmcls_alias
from .checkpoint import (CheckpointMismatchError, current_hint, describe_source, match_wrapped_keys,
                         shape_mismatches, strip_wrapper_keys, torch_load, trusted_checkpoints)
from .run_record import written_by_run

__all__ = ['apply', 'mmrazor_needs_quantization_standin', 'DataSampleError']


class DataSampleError(RuntimeError):
    """A dataset sample could not be loaded; the message names the dataset and its files."""


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
        raise FileNotFoundError(f'{describe_source(filename)}: no such file')
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
    Runner.resume = _resume
    Runner.load_checkpoint = _load_checkpoint
    Runner.__mmfreqkd_patched__ = True


_RESUMING = '__mmfreqkd_resuming__'


def _resume(self, filename, *args, **kwargs):
    """``Runner.resume`` with a strict, trust-checked load (see :func:`_load_checkpoint`)."""
    setattr(self, _RESUMING, True)
    try:
        return _ORIGINAL['resume'](self, filename, *args, **kwargs)
    finally:
        setattr(self, _RESUMING, False)


def _load_checkpoint(self, filename, map_location='cpu', strict=False,
                     revise_keys=[(r'^module\.', '')]):  # noqa: B006 (mmengine's signature)
    """``Runner.load_checkpoint`` under mmfreqkd's policy.

    * Trust: a file a run of ``work_dir`` saved (in its run record) or any file with
      ``trust_load_from=True`` unpickles fully; any other loads weights-only.
    * Names: an unreadable file's error names it with its config key (``resume`` / ``load_from``).
    * Keys: wrapper-named keys of older checkpoints are matched to the model's; resuming (or
      ``strict_load_from=True``) refuses a checkpoint that leaves any parameter or buffer
      unloaded or has keys the model lacks, naming them, on every rank alike.
    """
    from mmengine.model import is_model_wrapper
    from mmengine.runner.checkpoint import _load_checkpoint as load_file
    from mmengine.runner.checkpoint import _load_checkpoint_to_model

    resuming = getattr(self, _RESUMING, False)
    key = 'resume' if resuming else 'load_from'
    trusted = self.cfg.get('trust_load_from', False) or written_by_run(filename, self.work_dir)
    hint = current_hint() or 'set `trust_load_from=True` in the config'
    with trusted_checkpoints([filename] if trusted else [], hint=hint, key=key):
        checkpoint = load_file(filename, map_location=map_location)
    if not isinstance(checkpoint, Mapping):
        raise CheckpointMismatchError(f'{key}={filename!r} is not a checkpoint: it holds a '
                                      f'{type(checkpoint).__name__}, not a dict of weights')
    if resuming and not {'meta', 'state_dict'} <= set(checkpoint):
        raise CheckpointMismatchError(
            f'{key}={filename!r} is not a training checkpoint (it has {sorted(checkpoint)[:6]}, '
            f'not meta/state_dict/optimizer): resume only from a checkpoint a run saved; load '
            f'plain weights with `load_from` instead')
    self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
    model = self.model.module if is_model_wrapper(self.model) else self.model
    own = model.state_dict()
    state = checkpoint.get('state_dict', checkpoint)
    metadata = getattr(state, '_metadata', None)
    for pattern, replacement in revise_keys:
        state = {re.sub(pattern, replacement, k): v for k, v in state.items()}
    state = match_wrapped_keys(state, own)
    if metadata is not None:
        state._metadata = metadata
    if resuming or strict or self.cfg.get('strict_load_from', False):
        missing, unexpected = sorted(set(own) - set(state)), sorted(set(state) - set(own))
        shapes = [f'{k}: {tuple(state[k].shape)} vs {tuple(own[k].shape)}'
                  for k in shape_mismatches(state, own)]
        if missing or unexpected or shapes:
            raise CheckpointMismatchError(
                f'{key}={filename!r} does not fit the {type(model).__name__} model: '
                f'{len(missing)} of its {len(own)} parameters/buffers would stay unloaded '
                f'{missing[:20]}, {len(unexpected)} keys are not in the model '
                f'{unexpected[:20]}, {len(shapes)} have other shapes {shapes[:20]}. Is it a '
                f'checkpoint of this config?')
    _load_checkpoint_to_model(model, {'state_dict': state}, strict=False, revise_keys=[])
    self._has_loaded = True
    self.logger.info(f'Load checkpoint from {filename}')
    return checkpoint


_ORIGINAL = {}


def _remember_originals() -> None:
    from mmengine.runner import Runner
    if not _ORIGINAL:
        _ORIGINAL.update(resume=Runner.resume)


def _install_wrapper_free_state_dicts() -> None:
    from mmengine.model import MMSeparateDistributedDataParallel as Separate

    if getattr(Separate, '__mmfreqkd_patched__', False):
        return
    init = Separate.__init__

    @functools.wraps(init)
    def __init__(self, module, *args, **kwargs):
        init(self, module, *args, **kwargs)
        module._register_state_dict_hook(strip_wrapper_keys)

    Separate.__init__ = __init__
    Separate.__mmfreqkd_patched__ = True


def _install_named_data_errors() -> None:
    from mmengine.dataset import BaseDataset

    if getattr(BaseDataset, '__mmfreqkd_patched__', False):
        return
    prepare = BaseDataset.prepare_data

    @functools.wraps(prepare)
    def prepare_data(self, idx):
        try:
            _check_image_sizes(self, idx)
            return prepare(self, idx)
        except DataSampleError:
            raise
        except _Skipped:
            return None  # BaseDataset draws another training sample
        except Exception as err:
            if isinstance(err, IndexError) and not -len(self) <= idx < len(self):
                raise  # past the end: how `for sample in dataset` stops, not a bad sample
            raise DataSampleError(_data_error_message(self, idx, err)) from err

    BaseDataset.prepare_data = prepare_data
    BaseDataset.__mmfreqkd_patched__ = True


def _check_image_sizes(dataset, idx) -> None:
    """Refuse the sample's images above the pixel limit from their headers, before its
    pipeline decodes them; under a ``SkipUnreadable`` step the sample is skipped instead."""
    from .datasets.image_size import ImageTooLargeError, check_image_sizes
    if not -len(dataset) <= idx < len(dataset):
        return
    info = dataset.get_data_info(idx)
    try:
        check_image_sizes(info)
    except ImageTooLargeError as err:
        from .datasets import SkipUnreadable
        steps = getattr(dataset.pipeline, 'transforms', [])
        skipper = next((t for t in steps if isinstance(t, SkipUnreadable)), None)
        if skipper is None:
            raise
        skipper.skip(info, err)
        raise _Skipped() from err


class _Skipped(Exception):
    """A sample that a ``SkipUnreadable`` step skipped before its pipeline ran."""


def _data_error_message(dataset, idx, err: Exception) -> str:
    try:
        info = dataset.get_data_info(idx)
    except Exception:  # the failure may be in reading the sample's info itself
        info = {}
    files = [f'{k}={v!r}' for k, v in info.items()
             if isinstance(v, str) and (k.endswith('path') or k.endswith('file_name'))]
    root = getattr(dataset, 'data_root', None)
    return (f'{type(dataset).__name__} (data_root={root!r}) could not load sample {idx}: '
            f'{", ".join(files) or "(no file names in its data info)"}: '
            f'{type(err).__name__}: {str(err).strip()[:500]}')


def apply() -> None:
    """Apply every fix; idempotent."""
    mmcls_alias.install()  # before mmrazor's first import, which imports mmcls classes
    _make_mmrazor_importable()
    mmcls_alias.register_renamed()
    _install_checkpoint_loaders()
    _remember_originals()
    _install_runner_trust()
    _install_wrapper_free_state_dicts()
    _install_named_data_errors()
    _register_config_package()


def _register_config_package() -> None:
    from mmengine.config import Config
    if getattr(Config._get_cfg_path, '_mmfreqkd', False):
        return
    original = Config._get_cfg_path

    def get_cfg_path(cfg_path: str, filename: str):
        if cfg_path.startswith('mmfreqkd::'):
            from .models.builder import load_model_config_path
            return load_model_config_path(cfg_path, key='_base_'), None
        return original(cfg_path, filename)

    get_cfg_path._mmfreqkd = True
    Config._get_cfg_path = staticmethod(get_cfg_path)
