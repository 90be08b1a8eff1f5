"""Checkpoint loading with an explicit trust policy.

Since torch 2.6, ``torch.load`` defaults to ``weights_only=True`` and refuses pickles that need
globals outside a small allow-list. mmengine 0.10.7 calls ``torch.load`` without saying which
behaviour it wants, so its loaders break on its own checkpoints (which pickle ``builtins.getattr``
through ``HistoryBuffer``), while forcing ``weights_only=False`` everywhere would let any
downloaded teacher checkpoint run code.

mmfreqkd therefore distinguishes two sources:

* **external weights** (``teacher_ckpt``, ``student_ckpt``, the runner's ``load_from``,
  ``init_cfg=dict(type='Pretrained', ...)``): loaded with ``weights_only=True`` and nothing but
  numpy's array/scalar/dtype reconstruction allow-listed. A file that needs any other global is
  refused with :class:`UnsafeCheckpointError`, which names the globals and the config flag that
  opts in for a file the user trusts.
* **trusted loads**: resuming the run's own checkpoint, and files the user explicitly trusted.

The policy is a context (:func:`trusted_checkpoints`), so code deep inside mmengine that calls
the registered loaders follows it without being rewritten.
"""
import contextlib
import os
import os.path as osp
import pickle
import re
from collections import OrderedDict
from contextvars import ContextVar
from typing import Dict, Iterable, Iterator, List, Mapping, Optional, Sequence

import numpy as np
import torch

__all__ = [
    'UnsafeCheckpointError', 'CheckpointMismatchError', 'CorruptCheckpointError',
    'safe_globals', 'torch_load', 'trusted_checkpoints', 'load_state_dict_checked',
    'strip_wrapper_keys', 'match_wrapped_keys', 'current_hint', 'describe_source',
    'shape_mismatches'
]

#: What the current context trusts: a set of paths/URLs (``'*'`` = all), the opt-in to name in
#: the error message when a file is refused, and the config key (or flag) that named the file.
_TRUST: ContextVar = ContextVar('mmfreqkd_checkpoint_trust',
                                default=(frozenset(), None, None))

#: The state-dict key suffix of a module's ``get_extra_state()`` (torch.nn.Module).
_EXTRA_STATE = '_extra_state'

_DEFAULT_HINT = ('set `trust_load_from=True` (runner load_from) or '
                 '`model.trust_checkpoints=True` (teacher_ckpt / student_ckpt)')


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint needs pickle globals that weights-only loading refuses."""


class CheckpointMismatchError(RuntimeError):
    """A checkpoint's state dict does not fit the model it is loaded into."""


class CorruptCheckpointError(RuntimeError):
    """A checkpoint file is empty, truncated, or not a checkpoint at all."""


def safe_globals() -> List[object]:
    """The globals allow-listed for external checkpoints: numpy arrays, scalars and dtypes.

    These are plain data types: none of them can call an arbitrary function while unpickling.
    """
    allowed: List[object] = [np.ndarray, np.dtype]
    for mod_name in ('numpy.core.multiarray', 'numpy._core.multiarray'):
        try:
            mod = __import__(mod_name, fromlist=['_reconstruct', 'scalar'])
        except ImportError:
            continue
        allowed += [mod._reconstruct, mod.scalar]
    dtypes = getattr(np, 'dtypes', None)
    if dtypes is not None:
        allowed += [
            getattr(dtypes, name) for name in dir(dtypes) if name.endswith('DType')
        ]
    return allowed


def _allowed_names() -> set:
    return {f'{g.__module__}.{g.__qualname__}' for g in safe_globals()}


@contextlib.contextmanager
def trusted_checkpoints(paths: Sequence[str] = ('*', ),
                        hint: Optional[str] = None,
                        key: Optional[str] = None) -> Iterator[None]:
    """Trust the given checkpoint paths/URLs (``'*'``: any) for loads inside this context.

    Args:
        paths: files or URLs whose pickles may run code. ``'*'`` trusts every load; an empty
            sequence trusts none (useful to set only ``hint`` or ``key``).
        hint: the opt-in a refused load should name in its error message (e.g. ``'pass
            --trust-checkpoint'``); an enclosing context's hint is kept when ``None``.
        key: the config key or command-line flag that named the file (``'load_from'``,
            ``'--resume'``), for the messages of refused, empty or damaged files.

    Examples:
        >>> with trusted_checkpoints(['work_dirs/run/iter_100.pth']):
        ...     runner.resume('work_dirs/run/iter_100.pth')  # doctest: +SKIP
    """
    old_paths, old_hint, old_key = _TRUST.get()
    norm = frozenset(p if p == '*' else _normalise(p) for p in paths)
    token = _TRUST.set((old_paths | norm, hint or old_hint, key or old_key))
    try:
        yield
    finally:
        _TRUST.reset(token)


def _normalise(path: str) -> str:
    if re.match(r'^[a-zA-Z][a-zA-Z0-9+.-]*://', path):
        return path
    return osp.realpath(osp.expanduser(path))


def current_hint() -> Optional[str]:
    """The opt-in the enclosing :func:`trusted_checkpoints` contexts name, if any."""
    return _TRUST.get()[1]


def _is_trusted(source: str) -> bool:
    paths = _TRUST.get()[0]
    return '*' in paths or _normalise(source) in paths


def describe_source(source: str) -> str:
    """``key='path'`` with the config key of the enclosing context, else ``checkpoint 'path'``."""
    key = _TRUST.get()[2]
    return f'{key}={source!r}' if key else f'checkpoint {source!r}'


def torch_load(file, map_location=None, source: Optional[str] = None):
    """``torch.load`` under the current trust policy.

    Args:
        file: path or file object, as for ``torch.load``.
        map_location: as for ``torch.load``.
        source: the path/URL the user named (defaults to ``file``); trust is decided on it.

    Raises:
        UnsafeCheckpointError: the file is untrusted and its pickle needs a global outside
            :func:`safe_globals`.
        CorruptCheckpointError: the file is empty, truncated or not a torch checkpoint; the
            message names the file and the config key that named it.
    """
    source = source if source is not None else str(file)
    if isinstance(file, (str, os.PathLike)) and osp.isfile(file) and osp.getsize(file) == 0:
        raise CorruptCheckpointError(f'{describe_source(source)}: the file is empty (0 bytes), '
                                     f'e.g. a save that was interrupted; use an earlier '
                                     f'checkpoint')
    try:
        if _is_trusted(source):
            return torch.load(file, map_location=map_location, weights_only=False)
        with torch.serialization.safe_globals(safe_globals()):
            return torch.load(file, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        offending = _offending_globals(file)
        if offending or 'Unsupported global' in str(err):
            raise UnsafeCheckpointError(_refusal_message(source, err, offending)) from None
        raise CorruptCheckpointError(_damage_message(source, err)) from None
    except (EOFError, RuntimeError, ValueError, OSError, AttributeError) as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise CorruptCheckpointError(_damage_message(source, err)) from None


def _damage_message(source: str, err: Exception) -> str:
    reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return (f'{describe_source(source)} cannot be read as a torch checkpoint: it is truncated '
            f'(e.g. a save that was interrupted) or not a checkpoint at all '
            f'({type(err).__name__}: {reason[:300]}); use an earlier checkpoint')


def _offending_globals(file) -> List[str]:
    """The globals of a zip checkpoint outside the allow-list (none for other files)."""
    if not isinstance(file, (str, os.PathLike)):
        return []
    try:
        found = torch.serialization.get_unsafe_globals_in_checkpoint(file)
    except Exception:  # a legacy, truncated or foreign file: torch's message will tell
        return []
    return sorted(set(found) - _allowed_names())


def _refusal_message(source: str, err: Exception, offending: List[str]) -> str:
    hint = current_hint()
    what = (', '.join(f'`{g}`' for g in offending)
            if offending else f'a global torch refused ({err})')
    return (f'Refusing to unpickle {describe_source(source)}: it needs {what}, which weights-only '
            f'loading does not allow (a pickle with such globals can run code). If you trust '
            f'this file, {hint or _DEFAULT_HINT}. Prefer converting it once to a plain state '
            f'dict with tools/export_student.py or `torch.save(ckpt["state_dict"], path)`.')


def load_state_dict_checked(model: torch.nn.Module,
                            checkpoint: Mapping,
                            what: str,
                            strict: bool = True,
                            strip_prefixes: Sequence[str] = ('module.', ),
                            min_loaded_fraction: float = 0.0) -> Dict:
    """Load ``checkpoint`` (a state dict, or a dict with ``state_dict``) into ``model``.

    Unlike mmengine's ``load_checkpoint``, which only logs key mismatches, this raises a
    :class:`CheckpointMismatchError` listing missing keys, unexpected keys and shape mismatches
    when ``strict``; otherwise it loads what fits, logs what was loaded, missing, unexpected and
    mis-shaped, and still refuses a file from which nothing (or less than
    ``min_loaded_fraction`` of the model's tensors) loads: such a file is the wrong one.

    Args:
        model: the module to load into.
        checkpoint: the loaded checkpoint.
        what: the config key the checkpoint came from (``'teacher_ckpt'``), for messages.
        strict: raise on any mismatch.
        strip_prefixes: key prefixes removed when *every* key carries them (e.g. ``module.``
            from DDP, ``architecture.`` from a distillation checkpoint).
        min_loaded_fraction: with ``strict=False``, the fraction of the model's state-dict
            entries that must load (at least one always must).

    Returns:
        dict with ``loaded``, ``missing``, ``unexpected`` and ``shape_mismatch`` lists.
    """
    state = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, Mapping) else None
    if not isinstance(state, Mapping):
        raise CheckpointMismatchError(
            f'{what}: expected a state dict or a dict with "state_dict", got {type(checkpoint)}')
    state = dict(state)
    for prefix in strip_prefixes:
        if state and all(k.startswith(prefix) for k in state):
            state = {k[len(prefix):]: v for k, v in state.items()}
    own = model.state_dict()
    state = match_wrapped_keys(state, own)
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    mis_shaped = set(shape_mismatches(state, own))
    shape_mismatch = [f'{k}: checkpoint {tuple(state[k].shape)} vs model {tuple(own[k].shape)}'
                      for k in sorted(mis_shaped)]
    fitting = {k: v for k, v in state.items() if k in own and k not in mis_shaped}
    report = dict(loaded=sorted(fitting), missing=missing, unexpected=unexpected,
                  shape_mismatch=shape_mismatch)
    mismatch = dict(missing=missing, unexpected=unexpected, shape_mismatch=shape_mismatch)
    if strict and (missing or unexpected or shape_mismatch):
        raise CheckpointMismatchError(f'{what} does not fit the {type(model).__name__} model:\n'
                                      + _format_report(mismatch))
    if not strict:
        share = len(fitting) / max(len(own), 1)
        if not fitting or share < min_loaded_fraction:
            raise CheckpointMismatchError(
                f'{what}: only {len(fitting)} of the {len(own)} tensors of the '
                f'{type(model).__name__} model load from it ({share:.0%}, fewer than the '
                f'required {max(min_loaded_fraction, 1 / max(len(own), 1)):.0%}): it is not a '
                f'checkpoint of this model\n' + _format_report(mismatch))
        from mmengine.logging import print_log
        print_log(f'{what}: loaded {len(fitting)} of {len(own)} tensors into the '
                  f'{type(model).__name__} model (strict=False)'
                  + ('\n' + _format_report(mismatch) if len(fitting) != len(own) or unexpected
                     else ''),
                  logger='current')
    model.load_state_dict(fitting, strict=False)
    return report


def shape_mismatches(state: Mapping, own: Mapping) -> List[str]:
    """The keys of both state dicts whose tensors have other shapes in ``state`` than in
    ``own``, sorted. A module's extra state (``..._extra_state``, e.g. calibrated loss
    multipliers) is the module's to read and has no fixed shape."""
    return sorted(k for k in set(own) & set(state)
                  if not k.endswith(_EXTRA_STATE) and hasattr(state[k], 'shape')
                  and tuple(state[k].shape) != tuple(own[k].shape))


def _unwrapped_name(key: str) -> str:
    """``key`` without the ``module.`` segments a model wrapper (DDP) inserts."""
    return re.sub(r'(^|\.)module\.', r'\1', key)


def match_wrapped_keys(state: Mapping, expected: Iterable[str]) -> Dict:
    """Rename keys a model wrapper put in ``state`` (``architecture.module.x``) to the
    ``expected`` key without its ``module.`` segments (``architecture.x``), where only the
    latter is expected; every other key is kept as it is.

    Checkpoints written under mmengine's ``MMSeparateDistributedDataParallel`` before
    :func:`strip_wrapper_keys` existed carry such keys."""
    expected = set(expected)
    renamed = OrderedDict()
    for key, value in state.items():
        bare = _unwrapped_name(key)
        renamed[bare if key not in expected and bare in expected else key] = value
    return renamed


def strip_wrapper_keys(module: torch.nn.Module, state_dict: Dict, prefix: str,
                       local_metadata) -> None:
    """State-dict hook: the entries of sub-modules wrapped by a model wrapper (e.g. the
    ``architecture``, ``distiller`` and ``discriminator`` that mmengine's
    ``MMSeparateDistributedDataParallel`` wraps with DDP) under their unwrapped names.

    Without it a checkpoint's keys depend on the wrapper (``architecture.module.x`` under
    separate DDP, ``architecture.x`` otherwise), and mmengine's loader, which unwraps wrappers
    as it descends, finds none of the wrapped entries. Registered with
    ``module._register_state_dict_hook``; renames in place, keeping the order.
    """
    from mmengine.model import is_model_wrapper
    wrapped = [name for name, child in module.named_modules() if name and is_model_wrapper(child)]
    if not wrapped:
        return
    pattern = re.compile('^' + re.escape(prefix) + '(' + '|'.join(
        re.escape(name) for name in sorted(wrapped, key=len, reverse=True)) + r')\.module\.')
    items = [(pattern.sub(lambda m: f'{prefix}{m.group(1)}.', k), v)
             for k, v in state_dict.items()]
    state_dict.clear()
    state_dict.update(items)
    metadata = getattr(state_dict, '_metadata', None)
    if metadata is not None:
        for key in list(metadata):
            bare = pattern.sub(lambda m: f'{prefix}{m.group(1)}.', key + '.')[:-1]
            if bare != key:
                metadata[bare] = metadata.pop(key)


def _format_report(report: Dict[str, List[str]], limit: int = 20) -> str:
    lines = []
    for name, keys in report.items():
        if keys:
            shown = ', '.join(keys[:limit]) + (f', ... ({len(keys)} in all)'
                                               if len(keys) > limit else '')
            lines.append(f'  {name} ({len(keys)}): {shown}')
    return '\n'.join(lines)
