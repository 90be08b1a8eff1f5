"""Adapter of two-stage RoI heads for DS2D2's knowledge amplifiers (Gao et al., TGRS 2025,
Sec. III-C; docs/methods/ds2d2.md, Implicit stream): the amplifier heads run on the RoIs the
student's RoI head sampled in this step, shared by student and teacher features."""
from contextlib import contextmanager
from typing import Sequence

import torch

from .recorded_call import recorded_call, take_record

__all__ = ['RoIHeadAdapter', 'CascadeRoIHeadAdapter']


class RoIHeadAdapter:
    """``StandardRoIHead`` and its subclasses (Faster R-CNN; mmrotate's oriented R-CNN, whose
    box head predicts 5-number rotated deltas). ``head`` is the student's RoI head: while
    :meth:`recording` is open, its ``_bbox_forward`` calls are recorded, and the RoIs of the
    last one (those its loss sampled) are this step's RoIs."""

    def __init__(self, head) -> None:
        self.head = head
        self._record = None

    @contextmanager
    def recording(self):
        """Record the student head's ``_bbox_forward`` calls while inside."""
        with recorded_call(self.head, '_bbox_forward', self._rois_of) as self._record:
            yield

    @staticmethod
    def _rois_of(args: tuple, result) -> torch.Tensor:
        return args[1]  # _bbox_forward(x, rois)

    def step(self, feats: Sequence[torch.Tensor], data_samples: list) -> torch.Tensor:
        """The RoIs the student head sampled this step (its loss must have run)."""
        return take_record(self, 'RoIs')[-1]

    def rows(self, head, feats: Sequence[torch.Tensor], rois: torch.Tensor) -> dict:
        """``head._bbox_forward`` on the shared RoIs: ``cls_score`` (N, C + 1) and
        ``bbox_pred`` (N, D) or (N, D C) box deltas."""
        return head._bbox_forward(tuple(feats), rois)

    def amplify(self, loss, head, feats_s: Sequence[torch.Tensor],
                feats_t: Sequence[torch.Tensor], rois: torch.Tensor) -> dict:
        """``loss`` of the amplifier ``head`` on the shared RoIs of student features (with
        gradient to them) and of teacher features (without)."""
        student = self.rows(head, feats_s, rois)
        with torch.no_grad():
            teacher = self.rows(head, feats_t, rois)
        return loss(student=student, teacher=teacher,
                    box_dim=self.head.bbox_head.bbox_coder.encode_size)


class CascadeRoIHeadAdapter(RoIHeadAdapter):
    """Cascade R-CNN (``CascadeRoIHead``, Cai and Vasconcelos, CVPR 2018): one box head per
    stage, each on the RoIs its stage sampled from the previous stage's refined boxes. The
    amplifier losses of the selected stages are summed, weighted by the head's own
    ``stage_loss_weights``.

    Args:
        head: the student's RoI head.
        stages: ``'all'`` (every stage, [our default], as the head's own loss) or ``'last'``
            (the last stage only, weight 1); ``model.head_adapter=dict(stages=...)`` of DS2D2.
    """

    def __init__(self, head, stages: str = 'all') -> None:
        super().__init__(head)
        if stages not in ('all', 'last'):
            raise ValueError(f"model.head_adapter.stages must be 'all' or 'last', got {stages!r}")
        self.stages = stages

    @staticmethod
    def _rois_of(args: tuple, result) -> tuple:
        return args[0], args[2]  # _bbox_forward(stage, x, rois)

    def step(self, feats, data_samples) -> dict:
        """``{stage: the RoIs the student head sampled for it this step}``."""
        rois = dict(take_record(self, 'RoIs'))
        return {max(rois): rois[max(rois)]} if self.stages == 'last' else rois

    def amplify(self, loss, head, feats_s, feats_t, rois: dict) -> dict:
        total = dict()
        for stage, stage_rois in sorted(rois.items()):
            student = head._bbox_forward(stage, tuple(feats_s), stage_rois)
            with torch.no_grad():
                teacher = head._bbox_forward(stage, tuple(feats_t), stage_rois)
            weight = self.head.stage_loss_weights[stage] if self.stages == 'all' else 1.
            losses = loss(student=student, teacher=teacher,
                          box_dim=self.head.bbox_head[stage].bbox_coder.encode_size)
            for name, value in losses.items():
                total[name] = total.get(name, 0.) + weight * value
        return total
