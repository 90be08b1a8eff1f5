"""The single-teacher distillation algorithm every mmfreqkd method builds on."""
from typing import Dict, List, Mapping, Optional, Union

import torch
from mmengine.model import BaseModel, is_model_wrapper
from mmengine.runner.checkpoint import _load_checkpoint
from mmengine.structures import BaseDataElement
from mmrazor.models.algorithms import SingleTeacherDistill
from mmrazor.models.utils import add_prefix

from ...checkpoint import (CheckpointMismatchError, load_state_dict_checked,
                           trusted_checkpoints)
from ...registry import MODELS
from ..builder import build_model
from ..distillers import FreqKDDistiller
from .recorder_check import check_recorder_sources
from .records import explain_loss_failure

__all__ = ['SingleTeacherKD']


class DistillLossError(RuntimeError):
    """A distillation loss failed; the message names the loss, its inputs and their shapes."""


@MODELS.register_module()
class SingleTeacherKD(SingleTeacherDistill):
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
        teacher_mode: ``'loss'`` runs the whole teacher with its losses ([our default], as
            mmrazor's ``SingleTeacherDistill``); ``'feat'`` runs only its ``extract_feat``
            (backbone and neck, as mmrazor's ``FpnTeacherDistill``), for methods that record
            nothing after the neck.
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
                 **kwargs) -> None:
        if teacher_mode not in ('loss', 'feat'):
            raise ValueError(f"model.teacher_mode must be 'loss' or 'feat', got {teacher_mode!r}")
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
        if teacher_ckpt:
            self.load_weights(self.teacher, teacher_ckpt, 'teacher_ckpt')
        if student_ckpt:
            self.load_weights(self.student, student_ckpt, 'student_ckpt')

    def load_weights(self, model: torch.nn.Module, filename: str, key: str,
                     prefix: Optional[str] = None) -> Dict[str, List[str]]:
        """Load external weights into ``model`` under the safe-loading policy.

        A distillation checkpoint may be given for either model: when its keys carry the
        ``architecture.`` (student) or ``teacher.`` prefix, only that part is loaded.

        Args:
            model: ``self.teacher``, ``self.student`` or a part of a model.
            filename: path or URL.
            key: the config key the file came from, for error messages.
            prefix: load only the keys under this prefix (e.g. ``'bbox_head.'`` for a head
                out of a detector checkpoint); it is an error if the file has none.

        Returns:
            The mismatch report of :func:`~mmfreqkd.checkpoint.load_state_dict_checked`.
        """
        trusted = [filename] if self.trust_checkpoints else []
        with trusted_checkpoints(trusted, hint='set `model.trust_checkpoints=True`', key=key):
            try:
                checkpoint = _load_checkpoint(filename, map_location='cpu')
            except FileNotFoundError:
                raise FileNotFoundError(f'{key}={filename!r}: no such checkpoint file') from None
        if not isinstance(checkpoint, Mapping):
            raise CheckpointMismatchError(f'{key}={filename!r} is not a checkpoint: it holds a '
                                          f'{type(checkpoint).__name__}, not a state dict')
        state = checkpoint.get('state_dict', checkpoint)
        required = prefix is not None
        if prefix is None:
            prefix = 'teacher.' if model is self.teacher else 'architecture.'
        if any(k.startswith(prefix) for k in state):
            state = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
        elif required:
            raise CheckpointMismatchError(
                f'{key}={filename!r} has no {prefix}* weights (first keys: '
                f'{sorted(state)[:5]})')
        report = load_state_dict_checked(
            model, state, what=f'{key}={filename!r}', strict=self.strict_checkpoints,
            min_loaded_fraction=self.min_loaded_fraction)
        model._is_init = True  # keep the runner's init_weights from overwriting them
        return report

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

    @property
    def distiller_module(self):
        """The distiller itself, also when a model wrapper (e.g. mmengine's
        ``MMSeparateDistributedDataParallel``) has wrapped it."""
        return self.distiller.module if is_model_wrapper(self.distiller) else self.distiller

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

    def compute_distill_losses(self, batch_inputs: Optional[torch.Tensor] = None,
                               data_samples: Optional[list] = None) -> Dict[str, torch.Tensor]:
        """The distiller's losses on the current records; a failure names its inputs.

        The batch reaches the losses' ``from_batch`` mapping entries (ground truth, input
        shape; :class:`~mmfreqkd.models.distillers.FreqKDDistiller`). A wrapped distiller is
        called through its wrapper, so DistributedDataParallel all-reduces the connectors'
        gradients; that needs a distiller with a ``forward`` (``FreqKDDistiller``)."""
        distiller = self.distiller_module
        if is_model_wrapper(self.distiller) and not isinstance(distiller, FreqKDDistiller):
            raise TypeError(
                f'a wrapped distiller must be a mmfreqkd.FreqKDDistiller (its forward computes '
                f'the losses, so the wrapper synchronises their gradients); got '
                f'{type(distiller).__name__}: set distiller.type="mmfreqkd.FreqKDDistiller"')
        try:
            if is_model_wrapper(self.distiller):
                return self.distiller(batch_inputs, data_samples)
            if isinstance(distiller, FreqKDDistiller):
                return distiller.compute_distill_losses(batch_inputs, data_samples)
            return distiller.compute_distill_losses()
        except (RuntimeError, ValueError, TypeError) as err:
            explanation = explain_loss_failure(distiller)
            if explanation is None:
                raise
            raise DistillLossError(explanation) from err
