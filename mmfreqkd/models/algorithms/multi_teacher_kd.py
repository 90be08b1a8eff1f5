"""Distillation from any number of named teachers, each seeing its own input (e.g. SLKD: teacher
A restores the degraded image the student sees, teacher B reconstructs the clean target)."""
from typing import Dict, List, Mapping, Optional, Sequence, Union

import torch
from mmengine.model import BaseModel
from mmengine.structures import BaseDataElement
from mmrazor.models.algorithms import BaseAlgorithm
from mmrazor.models.utils import add_prefix
from torch import nn

from ...registry import MODELS
from ..builder import build_model
from ..restorers.base_restorer import denormalise, normalise, stack_field
from .distiller_calls import DistillerCallsMixin
from .external_weights import load_external_weights, require_teacher_weights
from .loss_scales import LossScalesMixin
from .recorder_check import check_recorder_sources

__all__ = ['MultiTeacherKD']

_TEACHER_KEYS = ('model', 'ckpt', 'input', 'mean', 'std', 'mode')
_MODES = ('tensor', 'feat', 'loss')


@MODELS.register_module()
class MultiTeacherKD(LossScalesMixin, DistillerCallsMixin, BaseAlgorithm):
    """A student distilled from several frozen teachers at once.

    Each teacher is ``teachers[name] = dict(model=..., ckpt=None, input='inputs', mean=None,
    std=None, mode='tensor')``:

    * ``model``: any form :func:`~mmfreqkd.models.builder.build_model` accepts (a stock
      ``cfg_path``, a local config file, a model dict);
    * ``ckpt``: its weights, loaded with the safe loader (``weights_only`` unless
      ``trust_checkpoints``) and checked key by key;
    * ``input``: what it sees: ``'inputs'`` (the student's batch) or the name of a (C, H, W)
      field of every data sample, e.g. ``'gt_img'`` (the clean target), stacked and
      normalised as the data preprocessor normalises the inputs;
    * ``mean``/``std``: the teacher's own normalisation of [0, 255] images, when it differs
      from the student's (the input is brought back to [0, 255] first);
    * ``mode``: ``'tensor'`` runs ``model(x, mode='tensor')``, ``'feat'`` its
      ``extract_feat(x)``, ``'loss'`` ``model(x, data_samples, mode='loss')`` (its losses are
      discarded).

    The teachers live in ``self.teachers`` (an ``nn.ModuleDict``), so the distiller's
    ``teacher_recorders`` name their sources with the teacher first: ``'A.encoders.0'``,
    ``'B.decoders.2'``; a recorder never sees another teacher's modules. Teachers are frozen
    and stay in eval mode. Validation scores the student; ``evaluate_teachers`` adds the named
    teachers' scores on their own inputs (``teacher_A/PSNR``...) through
    :class:`~mmfreqkd.engine.MultiTeacherValLoop`.

    Args:
        distiller: the distiller config (``mmfreqkd.FreqKDDistiller`` or mmrazor's
            ``ConfigurableDistiller``).
        teachers: ``{name: teacher spec}`` as above.
        architecture: the student, in any form ``build_model`` accepts.
        student_ckpt: initial weights of the student.
        trust_checkpoints: load the checkpoints with full unpickling (only files you trust).
        allow_random_teacher: accept a teacher without ``ckpt`` (a random network: tests and
            cost measurements only); without it that is an error naming the key.
        strict_checkpoints: refuse checkpoints with missing, unexpected or mis-shaped keys.
        calculate_student_loss: add the student's own task loss.
        evaluate_teachers: names of the teachers to score at validation.
        calibration: loss terms calibrated to gradient shares before training, as for
            :class:`~mmfreqkd.models.algorithms.SingleTeacherKD` (default None: off).
        data_preprocessor: default: the student's.
        init_cfg: mmengine's initialisation config.
    """

    def __init__(self, distiller: dict, teachers: Mapping[str, dict],
                 architecture: Union[BaseModel, dict], student_ckpt: Optional[str] = None,
                 trust_checkpoints: bool = False, strict_checkpoints: bool = True,
                 calculate_student_loss: bool = True, evaluate_teachers: Sequence[str] = (),
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 allow_random_teacher: bool = False,
                 calibration: Optional[dict] = None) -> None:
        if not teachers:
            raise ValueError('model.teachers must name at least one teacher')
        super().__init__(build_model(architecture, 'architecture'), data_preprocessor,
                         init_cfg)
        self.trust_checkpoints, self.strict_checkpoints = trust_checkpoints, strict_checkpoints
        self.calculate_student_loss = calculate_student_loss
        self.init_loss_scales(calibration)
        self.teachers = nn.ModuleDict()
        self.teacher_specs: Dict[str, dict] = {}
        for name, spec in teachers.items():
            self.teacher_specs[name] = self._check_spec(name, spec)
            require_teacher_weights(spec.get('ckpt'), f'model.teachers.{name}.ckpt',
                                    allow_random_teacher)
            self.teachers[name] = build_model(spec['model'], f'teachers.{name}.model')
        self.set_module_inplace_false(self.teachers, 'self.teachers')  # records stay intact
        unknown = sorted(set(evaluate_teachers) - set(self.teachers))
        if unknown:
            raise KeyError(f'model.evaluate_teachers names {unknown}, which are not teachers '
                           f'(teachers: {sorted(self.teachers)})')
        self.evaluate_teachers = tuple(evaluate_teachers)
        if isinstance(distiller, Mapping):
            check_recorder_sources(distiller.get('student_recorders'), self.student,
                                   'distiller.student_recorders')
            check_recorder_sources(distiller.get('teacher_recorders'), self.teachers,
                                   'distiller.teacher_recorders (sources start with the '
                                   'teacher name)')
        self.distiller = MODELS.build(distiller)
        self.distiller.prepare_from_student(self.student)
        self.distiller.prepare_from_teacher(self.teachers)
        for name, spec in self.teacher_specs.items():
            if spec.get('ckpt'):
                self._load(self.teachers[name], spec['ckpt'], f'teachers.{name}.ckpt')
        if student_ckpt:
            self._load(self.student, student_ckpt, 'student_ckpt', 'architecture.')
        self.teachers.requires_grad_(False)
        self.teachers.eval()

    @staticmethod
    def _check_spec(name: str, spec: Mapping) -> dict:
        if not isinstance(spec, Mapping) or 'model' not in spec:
            raise KeyError(f'model.teachers[{name!r}] must be a dict with a `model` (and '
                           f'optionally {list(_TEACHER_KEYS[1:])})')
        unknown = sorted(set(spec) - set(_TEACHER_KEYS))
        if unknown:
            raise KeyError(f'model.teachers[{name!r}] has unknown keys {unknown}; known: '
                           f'{list(_TEACHER_KEYS)}')
        spec = {**dict(input='inputs', mode='tensor', mean=None, std=None), **spec}
        if spec['mode'] not in _MODES:
            raise ValueError(f'model.teachers[{name!r}].mode must be one of {_MODES}, got '
                             f'{spec["mode"]!r}')
        if (spec['mean'] is None) != (spec['std'] is None):
            raise ValueError(f'model.teachers[{name!r}]: give both mean and std, or neither')
        return spec

    def _load(self, model: nn.Module, filename: str, key: str,
              default_prefix: Optional[str] = None) -> None:
        load_external_weights(model, filename, key, trust=self.trust_checkpoints,
                              strict=self.strict_checkpoints, default_prefix=default_prefix)

    @property
    def student(self) -> nn.Module:
        """The model being distilled (mmrazor's ``architecture``)."""
        return self.architecture

    def train(self, mode: bool = True) -> 'MultiTeacherKD':
        """The teachers stay in eval mode (dropout off, normalisation statistics frozen)."""
        super().train(mode)
        self.teachers.eval()
        return self

    def teacher_inputs(self, name: str, inputs: torch.Tensor,
                       data_samples: Optional[List[BaseDataElement]]) -> torch.Tensor:
        """The batch teacher ``name`` sees (see the class docstring)."""
        spec = self.teacher_specs[name]
        if spec['input'] == 'inputs':
            x = inputs
            raw = denormalise(x, self.data_preprocessor)
        else:
            try:
                raw = stack_field(data_samples, spec['input']).to(inputs.device)
            except (KeyError, ValueError) as err:
                reason = err.args[0] if err.args else err
                raise ValueError(f'model.teachers[{name!r}].input={spec["input"]!r}: '
                                 f'{reason}') from None
            x = normalise(raw, self.data_preprocessor)
        if spec['mean'] is not None:
            x = (raw - raw.new_tensor(spec['mean']).view(-1, 1, 1)) / raw.new_tensor(
                spec['std']).view(-1, 1, 1)
        return x

    def run_teacher(self, name: str, inputs: torch.Tensor,
                    data_samples: Optional[List[BaseDataElement]], mode: Optional[str] = None):
        """Teacher ``name`` on its own input, in its ``mode`` (or ``mode``, e.g.
        ``'predict'``), without gradient."""
        teacher = self.teachers[name]
        x = self.teacher_inputs(name, inputs, data_samples)
        mode = mode or self.teacher_specs[name]['mode']
        with torch.no_grad():
            if mode == 'feat':
                return teacher.extract_feat(x)
            return teacher(x, data_samples, mode=mode)

    def loss(self, batch_inputs: torch.Tensor,
             data_samples: Optional[List[BaseDataElement]] = None) -> Dict[str, torch.Tensor]:
        """Every teacher under the teacher recorders, the student under its recorders (with its
        own loss unless ``calculate_student_loss=False``), then the distillation losses."""
        distiller = self.distiller_module
        distiller.set_deliveries_override(False)
        with distiller.teacher_recorders, distiller.deliveries:
            for name in self.teachers:
                self.run_teacher(name, batch_inputs, data_samples)
        distiller.set_deliveries_override(True)
        with distiller.student_recorders, distiller.deliveries:
            student_losses = self.student(batch_inputs, data_samples, mode='loss')
        losses = add_prefix(student_losses, 'student') if self.calculate_student_loss else {}
        losses.update(add_prefix(self.compute_distill_losses(batch_inputs, data_samples),
                                 'distill'))
        return losses
