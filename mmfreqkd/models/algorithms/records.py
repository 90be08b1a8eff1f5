"""Describe what a distiller recorded: shapes of records, and which loss input failed.

Used by :class:`~mmfreqkd.models.algorithms.SingleTeacherKD` to turn a shape error inside a
distillation loss into a message naming the loss, its inputs' recorders, connectors and shapes,
and by ``tools/inspect_distill.py`` to print every record.
"""
from typing import Any, Dict, List, Optional, Tuple

import torch

__all__ = ['describe', 'recorded_shapes', 'explain_loss_failure']


def describe(data: Any) -> str:
    """A compact shape description of a tensor or a nested tuple/list/dict of tensors."""
    if isinstance(data, torch.Tensor):
        return f'{tuple(data.shape)} {str(data.dtype).replace("torch.", "")}'
    if isinstance(data, (list, tuple)):
        return '[' + ', '.join(describe(d) for d in data) + ']'
    if isinstance(data, dict):
        return '{' + ', '.join(f'{k}: {describe(v)}' for k, v in data.items()) + '}'
    return type(data).__name__


def recorded_shapes(distiller) -> Dict[Tuple[str, str], List[str]]:
    """``{('student'|'teacher', recorder name): [description of each record]}``."""
    shapes = {}
    for side, manager in (('student', distiller.student_recorders),
                          ('teacher', distiller.teacher_recorders)):
        for name, recorder in manager.recorders.items():
            shapes[(side, name)] = [describe(d) for d in recorder.data_buffer]
    return shapes


def _describe_input(distiller, record: dict) -> str:
    side = 'student' if record.get('from_student') else 'teacher'
    where = f"{side} recorder {record.get('recorder')!r}"
    if record.get('connector'):
        where += f" -> connector {record['connector']!r}"
    try:
        value = describe(distiller.get_record(**record))
    except Exception as err:  # the record itself is broken: say so instead of a shape
        value = f'<unavailable: {type(err).__name__}: {err}>'
    return f'{where}: {value}'


def explain_loss_failure(distiller) -> Optional[str]:
    """Re-run each distillation loss on the current records; describe the first that fails.

    Returns ``None`` when every loss runs, i.e. the failure was not inside a loss.
    """
    mappings = getattr(distiller, 'loss_forward_mappings', {}) or {}
    for loss_name, forward_mappings in mappings.items():
        try:
            kwargs = {k: distiller.get_record(**r) for k, r in forward_mappings.items()}
            distiller.distill_losses[loss_name](**kwargs)
        except Exception as err:
            inputs = '\n'.join(f'    {key} <- {_describe_input(distiller, r)}'
                               for key, r in forward_mappings.items())
            loss_type = type(distiller.distill_losses[loss_name]).__name__
            return (f'distiller.distill_losses[{loss_name!r}] ({loss_type}) failed: '
                    f'{type(err).__name__}: {err}\n  its inputs:\n{inputs}\n  If student and '
                    'teacher shapes differ, add a connector in `distiller.connectors` that maps '
                    'the student feature to the teacher shape and name it in the mapping.')
    return None
