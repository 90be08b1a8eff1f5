"""Loading a teacher's or a student's weights from a file under the safe-loading policy."""
from typing import Dict, List, Mapping, Optional

import torch
from mmengine.runner.checkpoint import _load_checkpoint

from ...checkpoint import CheckpointMismatchError, load_state_dict_checked, trusted_checkpoints
from ...paths import find_file

__all__ = ['load_external_weights', 'require_teacher_weights']


def load_external_weights(model: torch.nn.Module, filename: str, key: str, *,
                          trust: bool = False, strict: bool = True,
                          min_loaded_fraction: float = 0.0, prefix: Optional[str] = None,
                          default_prefix: Optional[str] = None) -> Dict[str, List[str]]:
    """Load ``filename`` into ``model``, checked key by key.

    The file is read with ``weights_only=True`` unless ``trust`` (a pickle can run code).

    Args:
        model: the module to load into.
        filename: path or URL.
        key: the config key the file came from, for error messages.
        trust: full unpickling (only for files you trust).
        strict: raise on any key/shape mismatch; otherwise load what fits and log the rest.
        min_loaded_fraction: with ``strict=False``, refuse a file from which fewer than this
            fraction of the model's tensors load.
        prefix: load only the keys under this prefix; an error if the file has none.
        default_prefix: load only the keys under this prefix when the file has any (e.g.
            ``'architecture.'``: the student part of a distillation checkpoint), else all.

    Returns:
        The mismatch report of :func:`~mmfreqkd.checkpoint.load_state_dict_checked`.
    """
    filename = find_file(filename, key, 'checkpoint file')  # relative: cwd, then the checkout
    trusted = [filename] if trust else []
    with trusted_checkpoints(trusted, hint='set `model.trust_checkpoints=True`', key=key):
        checkpoint = _load_checkpoint(filename, map_location='cpu')
    if not isinstance(checkpoint, Mapping):
        raise CheckpointMismatchError(f'{key}={filename!r} is not a checkpoint: it holds a '
                                      f'{type(checkpoint).__name__}, not a state dict')
    state = checkpoint.get('state_dict', checkpoint)
    wanted = prefix if prefix is not None else default_prefix
    if wanted is not None and any(k.startswith(wanted) for k in state):
        state = {k[len(wanted):]: v for k, v in state.items() if k.startswith(wanted)}
    elif prefix is not None:
        raise CheckpointMismatchError(
            f'{key}={filename!r} has no {prefix}* weights (first keys: {sorted(state)[:5]})')
    report = load_state_dict_checked(model, state, what=f'{key}={filename!r}', strict=strict,
                                     min_loaded_fraction=min_loaded_fraction)
    model._is_init = True  # keep the runner's init_weights from overwriting them
    return report


def require_teacher_weights(ckpt: Optional[str], key: str, allow_random_teacher: bool) -> None:
    """Refuse a frozen teacher without weights: distilling from a randomly initialised teacher
    trains the student towards noise, and nothing else would say so.

    Args:
        ckpt: the teacher's weights as configured.
        key: its config key (``'model.teacher_ckpt'``, ``'model.teachers.A.ckpt'``).
        allow_random_teacher: the explicit switch for tests and cost measurements.

    Raises:
        ValueError: naming ``key``, when ``ckpt`` is empty and the switch is off.
    """
    if not ckpt and not allow_random_teacher:
        raise ValueError(
            f'{key}={ckpt!r}: the teacher has no weights, so it would be a randomly '
            f'initialised network. Set {key} to the trained teacher\'s checkpoint, or '
            f'model.allow_random_teacher=True to distil from a random teacher on purpose '
            f'(tests, cost measurements).')
