"""Adapter of two-stage RoI heads for DS2D2's knowledge amplifiers (Gao et al., TGRS 2025,
Sec. III-C; docs/methods/ds2d2.md, Implicit stream): the amplifier heads run on the RoIs the
student's RoI head sampled in this step, shared by student and teacher features."""
from contextlib import contextmanager
from typing import Sequence

import torch

from .recorded_call import recorded_call, take_record

__all__ = ['RoIHeadAdapter']


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
        with recorded_call(self.head, '_bbox_forward') as self._record:
            yield

    def step(self, feats: Sequence[torch.Tensor], data_samples: list) -> torch.Tensor:
        """The RoIs the student head sampled this step (its loss must have run)."""
        return take_record(self, 'RoIs')['args'][1]

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
