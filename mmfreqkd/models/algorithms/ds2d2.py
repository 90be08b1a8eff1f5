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
"""
import copy
from contextlib import contextmanager
from typing import Dict, List, Optional

import torch
from mmdet.models.utils import images_to_levels, unpack_gt_instances
from mmdet.structures.bbox import cat_boxes
from mmengine.logging import MMLogger
from mmrazor.models.utils import add_prefix

from ...ops import high_frequency_map
from ...registry import MODELS
from .single_teacher_kd import SingleTeacherKD

__all__ = ['DS2D2']


@MODELS.register_module()
class DS2D2(SingleTeacherKD):
    """DS2D2 for anchor-based detectors: dense heads (RetinaNet, rotated RetinaNet; the
    amplifier is the ``bbox_head``) and two-stage ones (Faster R-CNN; the amplifier is the
    ``roi_head``).

    Each step: the teacher's backbone and neck (``teacher_mode='feat'``), the student with its
    losses, the distiller's losses (the explicit stream), then each amplifier's
    ``loss_cls``/``loss_reg`` on the recorded FPN outputs: dense heads with the anchors and
    standard assignment the student head's loss computed
    (:class:`~mmfreqkd.models.losses.DenseAmplifierLoss`), RoI heads on the RoIs the student's
    RoI head sampled this step, shared by student and teacher features
    (:class:`~mmfreqkd.models.losses.RoIAmplifierLoss`).

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
        **kwargs: :class:`SingleTeacherKD` arguments; ``teacher_mode`` defaults to ``'feat'``.
    """

    def __init__(self,
                 feature_recorder: str = 'fpn',
                 full_amplifier: Optional[dict] = None,
                 high_amplifier: Optional[dict] = None,
                 **kwargs) -> None:
        kwargs.setdefault('teacher_mode', 'feat')
        super().__init__(**kwargs)
        self.feature_recorder = feature_recorder
        for side in ('student', 'teacher'):
            recorders = getattr(self.distiller_module, f'{side}_recorders').recorders
            if feature_recorder not in recorders:
                raise ValueError(f'model.feature_recorder={feature_recorder!r} is not a recorder '
                                 f'of distiller.{side}_recorders {sorted(recorders)}')
        self.head_name = 'roi_head' if hasattr(self.student, 'roi_head') else 'bbox_head'
        for side, model in (('architecture', self.student), ('teacher', self.teacher)):
            if not hasattr(model, self.head_name):
                raise TypeError(f'DS2D2 distils anchor-based detectors: model.{side} '
                                f'({type(model).__name__}) has no {self.head_name}')
        self._head_calls = dict()  # what the student head computed this step
        self.full_loss = self.high_loss = None
        if full_amplifier is not None:
            self.full_loss = MODELS.build(_amplifier_args(full_amplifier, 'full_amplifier',
                                                          set())['loss'])
        if high_amplifier is not None:
            args = _amplifier_args(high_amplifier, 'high_amplifier',
                                   {'checkpoint', 'wavelet', 'mode'})
            self.high_loss = MODELS.build(args['loss'])
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
        """The student's forward, keeping what its head's loss computes for the amplifiers:
        anchors and targets (dense heads, reused instead of assigning again) or the sampled
        RoIs (RoI heads)."""
        names = ('_bbox_forward', ) if self.head_name == 'roi_head' else ('get_anchors',
                                                                          'get_targets')
        with _recording(getattr(self.student, self.head_name), names) as calls:
            losses = super().student_forward(batch_inputs, data_samples)
        self._head_calls = calls
        return losses

    def amplifier_losses(self, data_samples: list) -> Dict[str, torch.Tensor]:
        """``{'full.loss_cls', 'full.loss_reg', 'high.loss_cls', 'high.loss_reg'}`` of the
        configured amplifiers, on the recorded FPN outputs of this step."""
        distiller = self.distiller_module
        feats_s = distiller.get_record(self.feature_recorder, True)
        feats_t = distiller.get_record(self.feature_recorder, False)
        calls, self._head_calls = self._head_calls, dict()
        if self.head_name == 'roi_head':
            if '_bbox_forward' not in calls:
                raise RuntimeError('DS2D2: the student RoI head sampled no RoIs this step (its '
                                   'loss did not run: calculate_student_loss=False?)')
            rois = calls['_bbox_forward'][0][1]
            extra = (self.student.roi_head.bbox_head.bbox_coder.encode_size, )

            def predict(head, feats):
                return head._bbox_forward(tuple(feats), rois)
        else:
            extra = (*self.dense_targets(feats_s, data_samples, calls),
                     self.student.bbox_head.bbox_coder)

            def predict(head, feats):
                return head(tuple(feats))
        losses = dict()
        if self.full_loss is not None:
            head = getattr(self.teacher, self.head_name)
            losses.update(add_prefix(self.full_loss(
                *_amplify(predict, head, feats_s, feats_t), *extra), 'full'))
        if self.high_loss is not None:
            high_s = [high_frequency_map(f, **self.wavelet) for f in feats_s]
            with torch.no_grad():
                high_t = [high_frequency_map(f, **self.wavelet) for f in feats_t]
            losses.update(add_prefix(self.high_loss(
                *_amplify(predict, self.high_head, high_s, high_t), *extra), 'high'))
        return losses

    def dense_targets(self, feats: List[torch.Tensor], data_samples: list,
                      calls: Optional[dict] = None):
        """(anchors per level (B, n_l, d), label weights per level (B, n_l), number of
        positive anchors) of the student head's standard assignment: from ``calls`` (what
        the head's own loss computed this step) when given, else computed here. The number is
        mmdet's ``avg_factor`` (at least 1 per image), or 0 when no anchor of the batch is
        positive, so the amplifier loss can tell such a batch apart."""
        head = self.student.bbox_head
        calls = calls or {}
        if 'get_anchors' in calls and 'get_targets' in calls:
            (anchor_list, _), targets = calls['get_anchors'][1], calls['get_targets'][1]
        else:
            gt_instances, gt_ignore, img_metas = unpack_gt_instances(data_samples)
            anchor_list, valid_flags = head.get_anchors([f.shape[-2:] for f in feats],
                                                        img_metas, device=feats[0].device)
            with torch.no_grad():
                targets = head.get_targets(anchor_list, valid_flags, gt_instances, img_metas,
                                           batch_gt_instances_ignore=gt_ignore)
        label_weights, avg_factor = targets[1], targets[4]
        if not any(bool((w > 0).any()) for w in targets[3]):  # no positive box target
            avg_factor = 0
        per_level = [a.size(0) for a in anchor_list[0]]
        anchors = images_to_levels([cat_boxes(a) for a in anchor_list], per_level)
        return anchors, label_weights, avg_factor


def _amplify(predict, head, feats_s, feats_t):
    """``predict(head, ·)`` on student features (with gradient to the features) and on
    teacher features (without): the frozen amplifier's two outputs."""
    student = predict(head, feats_s)
    with torch.no_grad():
        teacher = predict(head, feats_t)
    return student, teacher


@contextmanager
def _recording(module, names):
    """Record ``(args, return value)`` of ``module.<name>(...)`` for each of ``names`` (the
    last call) while inside."""
    calls = dict()

    def recorder(name, method):

        def call(*args, **kwargs):
            result = method(*args, **kwargs)
            calls[name] = (args, result)
            return result

        return call

    for name in names:
        setattr(module, name, recorder(name, getattr(module, name)))
    try:
        yield calls
    finally:
        for name in names:
            delattr(module, name)  # the class's method again


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
