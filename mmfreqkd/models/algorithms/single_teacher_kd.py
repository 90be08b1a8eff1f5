"""The single-teacher distillation algorithm every mmfreqkd method builds on."""
from typing import Dict, List, Mapping, Optional, Union

import torch
from mmengine.model import BaseModel
from mmengine.structures import BaseDataElement
from mmrazor.models.algorithms import SingleTeacherDistill
from mmrazor.models.utils import add_prefix

from ...registry import MODELS
from ..builder import build_model
from .distiller_calls import DistillerCallsMixin
from .external_weights import load_external_weights, require_teacher_weights
from .loss_scales import LossScalesMixin
from .recorder_check import check_recorder_sources

__all__ = ['SingleTeacherKD']


@MODELS.register_module()
class SingleTeacherKD(LossScalesMixin, DistillerCallsMixin, SingleTeacherDistill):
    """mmrazor's ``SingleTeacherDistill`` with the loading and checking users ask for.

    A drop-in replacement for ``type='SingleTeacherDistill'`` in mmrazor's stock configs
    (``type='mmfreqkd.SingleTeacherKD'``), adding:

    * ``teacher`` / ``architecture`` as ``dict(cfg_path='mmseg::...')``, a **local config
      file** path, or a full model dict (:func:`mmfreqkd.models.builder.build_model`);
    * ``teacher_ckpt`` and ``student_ckpt`` (a pretrained student, or the ``architecture.*``
      part of a distillation checkpoint) loaded with ``weights_only=True`` unless
      ``trust_checkpoints=True``, and checked key by key: missing/unexpected keys and shape
      mismatches raise :class:`~mmfreqkd.checkpoint.CheckpointMismatchError`;
    * recorder sources validated against the built models before mmrazor's hooks are set, with
      the closest module names in the error;
    * a distillation loss that fails (e.g. mismatched channels without a connector) re-raised as
      :class:`DistillLossError` naming the loss, its recorders, connectors and tensor shapes.

    Args:
        distiller: config of the distiller (e.g. mmrazor's ``ConfigurableDistiller``).
        teacher: teacher model, in any form accepted by ``build_model``.
        architecture: student model, likewise.
        teacher_ckpt: path or URL of the teacher's weights.
        student_ckpt: path or URL of the student's initial weights.
        trust_checkpoints: load ``teacher_ckpt``/``student_ckpt`` with full unpickling. Only
            for files you trust: a pickle can run code.
        strict_checkpoints: raise on any key/shape mismatch (default). With ``False``, what
            fits is loaded and what was loaded, missing, unexpected and mis-shaped is logged.
        min_loaded_fraction: with ``strict_checkpoints=False``, a checkpoint from which fewer
            than this fraction of the model's tensors load is refused ([our default] 0: only a
            file from which nothing loads).
        teacher_eval: keep the (frozen) teacher in eval mode while the algorithm trains:
            dropout off, normalisation statistics frozen ([our default] True, as the IFVD and
            CIRKD code run ``teacher.eval()``). Ignored for a trainable teacher.
        allow_random_teacher: accept a frozen teacher without ``teacher_ckpt`` (a random
            network: tests and cost measurements only); without it that is an error.
        teacher_mode: ``'loss'`` runs the whole teacher with its losses ([our default], as
            mmrazor's ``SingleTeacherDistill``); ``'feat'`` runs only its ``extract_feat``
            (backbone and neck, as mmrazor's ``FpnTeacherDistill``), for methods that record
            nothing after the neck.
        calibration: ``dict(target=1.0, targets=None, batches=4)``: before training, multiply
            each distillation term so that its gradient share on the student equals its
            target (:class:`~mmfreqkd.models.algorithms.loss_scales.LossScales`, done by
            :class:`~mmfreqkd.engine.LossCalibrationHook`); None (default): the weights as
            configured.
        **kwargs: the remaining ``SingleTeacherDistill`` arguments (``teacher_trainable``,
            ``teacher_norm_eval``, ``calculate_student_loss``, ``data_preprocessor``, ...).

    Examples:
        >>> model = dict(
        ...     _scope_='mmrazor',
        ...     type='mmfreqkd.SingleTeacherKD',
        ...     architecture=dict(
        ...         cfg_path='mmseg::pspnet/pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py'),
        ...     teacher=dict(cfg_path='configs/_base_/models/my_teacher.py'),
        ...     teacher_ckpt='work_dirs/teacher/iter_2000.pth',
        ...     distiller=dict(type='ConfigurableDistiller', ...))  # doctest: +SKIP
    """

    def __init__(self,
                 distiller: dict,
                 teacher: Union[BaseModel, Dict],
                 architecture: Union[BaseModel, Dict],
                 teacher_ckpt: Optional[str] = None,
                 student_ckpt: Optional[str] = None,
                 trust_checkpoints: bool = False,
                 strict_checkpoints: bool = True,
                 min_loaded_fraction: float = 0.0,
                 teacher_eval: bool = True,
                 teacher_mode: str = 'loss',
                 allow_random_teacher: bool = False,
                 calibration: Optional[dict] = None,
                 **kwargs) -> None:
        if teacher_mode not in ('loss', 'feat'):
            raise ValueError(f"model.teacher_mode must be 'loss' or 'feat', got {teacher_mode!r}")
        if not kwargs.get('teacher_trainable', False):
            require_teacher_weights(teacher_ckpt, 'model.teacher_ckpt', allow_random_teacher)
        teacher = build_model(teacher, 'teacher')
        architecture = build_model(architecture, 'architecture')
        if isinstance(distiller, Mapping):
            check_recorder_sources(
                distiller.get('student_recorders'), architecture, 'distiller.student_recorders')
            check_recorder_sources(
                distiller.get('teacher_recorders'), teacher, 'distiller.teacher_recorders')
        super().__init__(distiller=distiller, teacher=teacher, architecture=architecture,
                         teacher_ckpt=None, **kwargs)
        self.teacher_mode = teacher_mode
        self.teacher_eval = teacher_eval
        self.trust_checkpoints = trust_checkpoints
        self.strict_checkpoints = strict_checkpoints
        self.min_loaded_fraction = min_loaded_fraction
        self.init_loss_scales(calibration)
        if teacher_ckpt:
            self.load_weights(self.teacher, teacher_ckpt, 'teacher_ckpt')
        if student_ckpt:
            self.load_weights(self.student, student_ckpt, 'student_ckpt')

    def load_weights(self, model: torch.nn.Module, filename: str, key: str,
                     prefix: Optional[str] = None) -> Dict[str, List[str]]:
        """Load external weights into ``model`` under the safe-loading policy
        (:func:`~mmfreqkd.models.algorithms.external_weights.load_external_weights`); a
        distillation checkpoint given for the teacher (student) loads its ``teacher.``
        (``architecture.``) part.

        Args:
            model: ``self.teacher``, ``self.student`` or a part of a model.
            filename: path or URL.
            key: the config key the file came from, for error messages.
            prefix: load only the keys under this prefix (e.g. ``'bbox_head.'`` for a head
                out of a detector checkpoint); it is an error if the file has none.
        """
        return load_external_weights(
            model, filename, key, trust=self.trust_checkpoints,
            strict=self.strict_checkpoints, min_loaded_fraction=self.min_loaded_fraction,
            prefix=prefix,
            default_prefix='teacher.' if model is self.teacher else 'architecture.')

    def train(self, mode: bool = True) -> 'SingleTeacherKD':
        """Train mode for the student and the distiller; a frozen teacher stays in eval mode
        (``teacher_eval``), so its outputs do not depend on dropout or batch statistics."""
        super().train(mode)
        if mode and self.teacher_eval and not self.teacher_trainable:
            self.teacher.eval()
        return self

    def loss(self,
             batch_inputs: torch.Tensor,
             data_samples: Optional[List[BaseDataElement]] = None) -> Dict[str, torch.Tensor]:
        """Teacher forward (recorded), student forward (recorded, with its task loss unless
        ``calculate_student_loss=False``), then the distillation losses.

        Same semantics as mmrazor's ``SingleTeacherDistill.loss``, split into steps that
        subclasses extend, and with failing distillation losses explained.
        """
        losses = dict()
        self.distiller_module.set_deliveries_override(False)
        losses.update(add_prefix(self.teacher_forward(batch_inputs, data_samples), 'teacher'))
        self.distiller_module.set_deliveries_override(True)
        losses.update(add_prefix(self.student_forward(batch_inputs, data_samples), 'student'))
        if not self.distillation_stopped:
            losses.update(add_prefix(
                self.compute_distill_losses(batch_inputs, data_samples), 'distill'))
        return losses

    def teacher_forward(self, batch_inputs, data_samples) -> Dict[str, torch.Tensor]:
        """Run the teacher under its recorders (``teacher_mode``); its losses only if it is
        trainable and runs whole."""
        distiller = self.distiller_module
        with distiller.teacher_recorders, distiller.deliveries:
            with torch.set_grad_enabled(self.teacher_trainable):
                if self.teacher_mode == 'feat':
                    self.teacher.extract_feat(batch_inputs)
                    return dict()
                losses = self.teacher(batch_inputs, data_samples, mode='loss')
        return losses if self.teacher_trainable else dict()

    def student_forward(self, batch_inputs, data_samples) -> Dict[str, torch.Tensor]:
        """Run the student under its recorders; its task losses if they are used."""
        distiller = self.distiller_module
        with distiller.student_recorders, distiller.deliveries:
            with torch.set_grad_enabled(self.student_trainable
                                        or self.calculate_student_loss):
                student_losses = self.student(batch_inputs, data_samples, mode='loss')
        return student_losses if self.calculate_student_loss else dict()
