"""DS2D2: Dual-Stream Spectral Decoupling Distillation for remote-sensing object detection
(Gao, Zhao, Yuan, Li; TGRS 2025; docs/methods/ds2d2.md).

The **explicit** stream (wavelet bands of every FPN level, DISW-weighted MSE) is an ordinary
distiller loss (:class:`~mmfreqkd.models.losses.DISWFeatureLoss` on
:class:`~mmfreqkd.models.connectors.WaveletBandsConnector` records, the boxes taken from the
batch). This algorithm adds the **implicit** stream, the knowledge amplifiers: frozen heads run
on student and teacher FPN features, their predictions distilled, gradients reaching the
student's FPN through the frozen heads:

* full-frequency amplifier: the teacher's own head on the raw features;
* high-frequency amplifier: a head trained on high-frequency maps (the amplifier stage,
  :class:`~mmfreqkd.models.necks.HighFrequencyFPN`), on
  :func:`~mmfreqkd.ops.high_frequency_map` of the features.

What the amplifiers need to know about a head (how to run it, its priors and assignment, how
to decode its boxes, its class probabilities) is in a head adapter
(:mod:`mmfreqkd.models.head_adapters`), chosen from the head's class at build time.
"""
import copy
from typing import Dict, Optional

import torch
from mmengine.logging import MMLogger
from mmrazor.models.utils import add_prefix

from ...ops import high_frequency_map
from ...registry import MODELS, build_component
from ..head_adapters import build_head_adapter
from .single_teacher_kd import SingleTeacherKD

__all__ = ['DS2D2']


@MODELS.register_module()
class DS2D2(SingleTeacherKD):
    """DS2D2 for one-stage detectors (the amplifier is the ``bbox_head``) and two-stage ones
    (the amplifier is the ``roi_head``) of the head families in
    :data:`~mmfreqkd.models.head_adapters.HEAD_ADAPTERS`: RetinaNet, ATSS, GFL, FCOS, RTMDet
    (and mmrotate's rotated RetinaNet, FCOS, RTMDet), ``StandardRoIHead`` (Faster R-CNN,
    oriented R-CNN) and ``CascadeRoIHead`` (Cascade R-CNN).

    Each step: the teacher's backbone and neck (``teacher_mode='feat'``), the student with its
    losses, the distiller's losses (the explicit stream), then each amplifier's
    ``loss_cls``/``loss_reg`` on the recorded FPN outputs: dense heads on the student head's
    priors and standard assignment, computed once per step (RTMDet's: recorded from the
    student head's own loss)
    (:class:`~mmfreqkd.models.losses.DenseAmplifierLoss` on decoded boxes and class
    probabilities), RoI heads on the RoIs the student's RoI head sampled this step, shared by
    student and teacher features (:class:`~mmfreqkd.models.losses.RoIAmplifierLoss`).

    Args:
        feature_recorder: name of the FPN-output recorder in both ``student_recorders`` and
            ``teacher_recorders`` (default ``'fpn'``).
        full_amplifier: None (off) or ``dict(loss=...)``: the teacher's head on raw features,
            ``loss`` a :class:`~mmfreqkd.models.losses.DenseAmplifierLoss` config.
        high_amplifier: None (off) or ``dict(loss=..., checkpoint=..., wavelet='haar',
            mode='zero')``: a copy of the teacher's head loaded with the ``bbox_head.*`` (or
            ``roi_head.*``) weights of the amplifier stage's ``checkpoint``, run on
            high-frequency maps. With
            ``checkpoint=None`` it keeps the teacher head's weights (where the amplifier
            stage starts), with a warning.
        head_adapter: options of the head family's adapter, e.g. ``dict(stages='last')`` to
            amplify only the last stage of Cascade R-CNN (default: every stage).
        **kwargs: :class:`SingleTeacherKD` arguments; ``teacher_mode`` defaults to ``'feat'``.
    """

    def __init__(self,
                 feature_recorder: str = 'fpn',
                 full_amplifier: Optional[dict] = None,
                 high_amplifier: Optional[dict] = None,
                 head_adapter: Optional[dict] = None,
                 **kwargs) -> None:
        kwargs.setdefault('teacher_mode', 'feat')
        super().__init__(**kwargs)
        self.feature_recorder = feature_recorder
        for side in ('student', 'teacher'):
            recorders = getattr(self.distiller_module, f'{side}_recorders').recorders
            if feature_recorder not in recorders:
                raise ValueError(f'model.feature_recorder={feature_recorder!r} is not a recorder '
                                 f'of distiller.{side}_recorders {sorted(recorders)}')
        self.head_name, self.adapter = build_head_adapter(self.student, self.teacher,
                                                          head_adapter)
        self.full_loss = self.high_loss = None
        if full_amplifier is not None:
            self.full_loss = build_component(
                _amplifier_args(full_amplifier, 'full_amplifier', set())['loss'],
                'model.full_amplifier.loss')
        if high_amplifier is not None:
            args = _amplifier_args(high_amplifier, 'high_amplifier',
                                   {'checkpoint', 'wavelet', 'mode'})
            self.high_loss = build_component(args['loss'], 'model.high_amplifier.loss')
            self.wavelet = dict(wavelet=args.get('wavelet', 'haar'),
                                mode=args.get('mode', 'zero'))
            self.high_head = copy.deepcopy(getattr(self.teacher, self.head_name))
            if args.get('checkpoint'):
                self.load_weights(self.high_head, args['checkpoint'],
                                  'high_amplifier.checkpoint', prefix=f'{self.head_name}.')
            else:
                MMLogger.get_current_instance().warning(
                    'high_amplifier.checkpoint is not set: the high-frequency amplifier keeps '
                    "the teacher head's weights; train it first with an amplifier-stage "
                    'config (configs/ds2d2/*amplifier*)')
            self.high_head.requires_grad_(False)
            self.high_head._is_init = True

    def train(self, mode: bool = True) -> 'DS2D2':
        super().train(mode)
        if self.high_loss is not None:
            self.high_head.eval()  # a frozen amplifier, like the teacher
        return self

    def loss(self, batch_inputs: torch.Tensor,
             data_samples: Optional[list] = None) -> Dict[str, torch.Tensor]:
        losses = super().loss(batch_inputs, data_samples)
        amplified = self.full_loss is not None or self.high_loss is not None
        if amplified and not self.distillation_stopped:
            losses.update(add_prefix(self.amplifier_losses(data_samples), 'distill'))
        return losses

    def student_forward(self, batch_inputs, data_samples) -> Dict[str, torch.Tensor]:
        """The student's forward, recording what the head adapter reuses from the student
        head's loss (the sampled RoIs of RoI heads)."""
        with self.adapter.recording():
            return super().student_forward(batch_inputs, data_samples)

    def amplifier_losses(self, data_samples: list) -> Dict[str, torch.Tensor]:
        """``{'full.loss_cls', 'full.loss_reg', 'high.loss_cls', 'high.loss_reg'}`` of the
        configured amplifiers, on the recorded FPN outputs of this step."""
        distiller = self.distiller_module
        feats_s = distiller.get_record(self.feature_recorder, True)
        feats_t = distiller.get_record(self.feature_recorder, False)
        step = self.adapter.step(feats_s, data_samples)
        losses = dict()
        if self.full_loss is not None:
            head = getattr(self.teacher, self.head_name)
            losses.update(add_prefix(
                self.adapter.amplify(self.full_loss, head, feats_s, feats_t, step), 'full'))
        if self.high_loss is not None:
            high_s = [high_frequency_map(f, **self.wavelet) for f in feats_s]
            with torch.no_grad():
                high_t = [high_frequency_map(f, **self.wavelet) for f in feats_t]
            losses.update(add_prefix(
                self.adapter.amplify(self.high_loss, self.high_head, high_s, high_t, step),
                'high'))
        return losses


def _amplifier_args(cfg: dict, key: str, optional: set) -> dict:
    """Check an amplifier config: ``loss`` required, ``optional`` keys allowed."""
    if 'loss' not in cfg:
        raise ValueError(f"model.{key} needs a `loss` config, e.g. "
                         "dict(type='mmfreqkd.DenseAmplifierLoss', loss_weight=1.0)")
    unknown = set(cfg) - {'loss'} - optional
    if unknown:
        raise ValueError(f'model.{key}: unknown keys {sorted(unknown)} (allowed: loss, '
                         f'{", ".join(sorted(optional))})')
    return dict(cfg)
