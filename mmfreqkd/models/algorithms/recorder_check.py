"""Validate a distiller config's recorders against the built teacher and student.

mmrazor's module/parameter recorders assert ``'"x" is not in the model.'`` deep inside
construction, without saying which recorder, which model, or what the module is really called.
:func:`check_recorder_sources` runs first and raises a ``ValueError`` that names the config key
and lists the closest existing names.
"""
import difflib
from typing import Iterable, List, Mapping

from torch import nn

__all__ = ['check_recorder_sources', 'closest_names']

#: Recorder types whose ``source`` is a module name / a parameter name of the model.
_MODULE_RECORDERS = ('ModuleOutputs', 'ModuleInputs')
_PARAM_RECORDERS = ('Parameter', )


def closest_names(name: str, candidates: Iterable[str], n: int = 5) -> List[str]:
    """The ``n`` candidates most similar to ``name``, best first."""
    candidates = list(candidates)
    return sorted(candidates,
                  key=lambda c: -difflib.SequenceMatcher(None, name, c).ratio())[:n]


def _recorder_type(cfg: Mapping) -> str:
    return str(cfg.get('type', '')).split('.')[-1]


def check_recorder_sources(recorders: Mapping, model: nn.Module, key: str) -> None:
    """Raise if a module or parameter recorder's ``source`` does not exist in ``model``.

    Args:
        recorders: the ``student_recorders``/``teacher_recorders`` dict of the distiller config.
        model: the built student or teacher.
        key: the config key, e.g. ``'distiller.student_recorders'``.

    Raises:
        ValueError: naming ``key[recorder]``, the bad source and the closest names.
    """
    for name, cfg in (recorders or {}).items():
        rtype = _recorder_type(cfg)
        if rtype in _MODULE_RECORDERS:
            names, kind = [n for n, _ in model.named_modules() if n], 'module'
        elif rtype in _PARAM_RECORDERS:
            names, kind = [n for n, _ in model.named_parameters()], 'parameter'
        else:
            continue
        source = cfg.get('source')
        if source not in names:
            raise ValueError(
                f'{key}[{name!r}]: source {source!r} is not a {kind} of the '
                f'{type(model).__name__} model. Closest {kind} names: '
                f'{closest_names(str(source), names)}')
