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
import os.path as osp
import pickle
import re
from contextvars import ContextVar
from typing import Dict, Iterator, List, Mapping, Optional, Sequence

import numpy as np
import torch

__all__ = [
    'UnsafeCheckpointError', 'CheckpointMismatchError', 'safe_globals', 'torch_load',
    'trusted_checkpoints', 'is_inside', 'load_state_dict_checked'
]

#: What the current context trusts: ``None`` (nothing), or a set of paths/URLs (``'*'`` = all),
#: and the config key to name in the error message when a file is refused.
_TRUST: ContextVar = ContextVar('mmfreqkd_checkpoint_trust', default=(frozenset(), None))

_DEFAULT_HINT = ('set `trust_load_from=True` (runner load_from) or '
                 '`model.trust_checkpoints=True` (teacher_ckpt / student_ckpt)')


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint needs pickle globals that weights-only loading refuses."""


class CheckpointMismatchError(RuntimeError):
    """A checkpoint's state dict does not fit the model it is loaded into."""


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
                        hint: Optional[str] = None) -> Iterator[None]:
    """Trust the given checkpoint paths/URLs (``'*'``: any) for loads inside this context.

    Args:
        paths: files or URLs whose pickles may run code. ``'*'`` trusts every load; an empty
            sequence trusts none (useful to set only ``hint``).
        hint: the config key a refused load should name in its error message.

    Examples:
        >>> with trusted_checkpoints(['work_dirs/run/iter_100.pth']):
        ...     runner.resume('work_dirs/run/iter_100.pth')  # doctest: +SKIP
    """
    old_paths, old_hint = _TRUST.get()
    norm = frozenset(p if p == '*' else _normalise(p) for p in paths)
    token = _TRUST.set((old_paths | norm, hint or old_hint))
    try:
        yield
    finally:
        _TRUST.reset(token)


def _normalise(path: str) -> str:
    if re.match(r'^[a-zA-Z][a-zA-Z0-9+.-]*://', path):
        return path
    return osp.realpath(osp.expanduser(path))


def is_inside(path: str, folder: str) -> bool:
    """Whether ``path`` lies inside ``folder`` (e.g. a checkpoint a run wrote to its work_dir)."""
    return osp.realpath(path).startswith(osp.realpath(folder) + osp.sep)


def _is_trusted(source: str) -> bool:
    paths, _ = _TRUST.get()
    return '*' in paths or _normalise(source) in paths


def torch_load(file, map_location=None, source: Optional[str] = None):
    """``torch.load`` under the current trust policy.

    Args:
        file: path or file object, as for ``torch.load``.
        map_location: as for ``torch.load``.
        source: the path/URL the user named (defaults to ``file``); trust is decided on it.

    Raises:
        UnsafeCheckpointError: the file is untrusted and its pickle needs a global outside
            :func:`safe_globals`.
    """
    source = source if source is not None else str(file)
    if _is_trusted(source):
        return torch.load(file, map_location=map_location, weights_only=False)
    try:
        with torch.serialization.safe_globals(safe_globals()):
            return torch.load(file, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        raise UnsafeCheckpointError(_refusal_message(file, source, err)) from None


def _refusal_message(file, source: str, err: Exception) -> str:
    offending: List[str] = []
    if isinstance(file, str):
        try:
            found = torch.serialization.get_unsafe_globals_in_checkpoint(file)
            offending = sorted(set(found) - _allowed_names())
        except Exception:  # a non-zip legacy file: fall back to torch's own message
            offending = []
    _, hint = _TRUST.get()
    what = (', '.join(f'`{g}`' for g in offending)
            if offending else f'a global torch refused ({err})')
    return (f'Refusing to unpickle checkpoint {source!r}: it needs {what}, which weights-only '
            f'loading does not allow (a pickle with such globals can run code). If you trust '
            f'this file, {hint or _DEFAULT_HINT}. Prefer converting it once to a plain state '
            f'dict with tools/export_student.py or `torch.save(ckpt["state_dict"], path)`.')


def load_state_dict_checked(model: torch.nn.Module,
                            checkpoint: Mapping,
                            what: str,
                            strict: bool = True,
                            strip_prefixes: Sequence[str] = ('module.', )) -> Dict:
    """Load ``checkpoint`` (a state dict, or a dict with ``state_dict``) into ``model``.

    Unlike mmengine's ``load_checkpoint``, which only logs key mismatches, this raises a
    :class:`CheckpointMismatchError` listing missing keys, unexpected keys and shape mismatches
    when ``strict``; otherwise it loads what fits and returns the mismatch report.

    Args:
        model: the module to load into.
        checkpoint: the loaded checkpoint.
        what: the config key the checkpoint came from (``'teacher_ckpt'``), for messages.
        strict: raise on any mismatch.
        strip_prefixes: key prefixes removed when *every* key carries them (e.g. ``module.``
            from DDP, ``architecture.`` from a distillation checkpoint).

    Returns:
        dict with ``missing``, ``unexpected`` and ``shape_mismatch`` lists.
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
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    shape_mismatch = sorted(
        f'{k}: checkpoint {tuple(state[k].shape)} vs model {tuple(own[k].shape)}'
        for k in set(own) & set(state)
        if hasattr(state[k], 'shape') and tuple(state[k].shape) != tuple(own[k].shape))
    report = dict(missing=missing, unexpected=unexpected, shape_mismatch=shape_mismatch)
    if strict and (missing or unexpected or shape_mismatch):
        raise CheckpointMismatchError(f'{what} does not fit the {type(model).__name__} model:\n'
                                      + _format_report(report))
    fitting = {k: v for k, v in state.items()
               if k in own and (not hasattr(v, 'shape') or v.shape == own[k].shape)}
    model.load_state_dict(fitting, strict=False)
    return report


def _format_report(report: Dict[str, List[str]], limit: int = 20) -> str:
    lines = []
    for name, keys in report.items():
        if keys:
            shown = ', '.join(keys[:limit]) + (f', ... ({len(keys)} in all)'
                                               if len(keys) > limit else '')
            lines.append(f'  {name} ({len(keys)}): {shown}')
    return '\n'.join(lines)
