"""Adapter of two-stage RoI heads for DS2D2's knowledge amplifiers (Gao et al., TGRS 2025,
Sec. III-C; docs/methods/ds2d2.md, Implicit stream): the amplifier heads run on the RoIs the
student's RoI head sampled in this step, shared by student and teacher features."""
from contextlib import contextmanager
from typing import Sequence

import torch

__all__ = ['RoIHeadAdapter']


class RoIHeadAdapter:
    """``StandardRoIHead`` and its subclasses (Faster R-CNN; mmrotate's oriented R-CNN, whose
    box head predicts 5-number rotated deltas). ``head`` is the student's RoI head: while
    :meth:`recording` is open, its ``_bbox_forward`` calls are recorded, and the RoIs of the
    last one (those its loss sampled) are this step's RoIs."""

    def __init__(self, head) -> None:
        self.head = head
        self._rois = None

    @contextmanager
    def recording(self):
        """Record the RoIs of the student head's ``_bbox_forward`` (an instance attribute
        shadows the method while inside; the class's method again after)."""
        method = self.head._bbox_forward

        def record(feats, rois):
            self._rois = rois
            return method(feats, rois)

        self.head._bbox_forward = record
        try:
            yield
        finally:
            del self.head._bbox_forward

    def step(self, feats: Sequence[torch.Tensor], data_samples: list) -> torch.Tensor:
        """The RoIs the student head sampled this step (its loss must have run)."""
        rois, self._rois = self._rois, None
        if rois is None:
            raise RuntimeError('DS2D2: the student RoI head sampled no RoIs this step (its loss '
                               'did not run: calculate_student_loss=False?)')
        return rois

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
