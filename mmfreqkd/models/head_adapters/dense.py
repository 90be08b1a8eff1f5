"""Adapters of dense detection heads for DS2D2's knowledge amplifiers (Gao et al., TGRS 2025,
Sec. III-C; docs/methods/ds2d2.md, Implicit stream).

An adapter turns a head's per-level output maps into rows, one per prior (anchor or point),
image by image, levels in order and mmdet's prior order within a level: class logits, an
optional quality logit (the centerness branch of ATSS and FCOS, multiplied into the class
probability as the head's own ``predict_by_feat`` does) and boxes decoded as the head decodes
them. It also gives, once per step, the student head's priors and standard assignment: which
rows count (label weights) and the number of positives (the losses' ``avg_factor``); where the
head's loss computes them (anchor heads, RTMDet), the ones it computed this step, recorded.
"""
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Optional, Sequence

import torch
from mmdet.models.utils import unpack_gt_instances
from mmdet.structures.bbox import BaseBoxes, cat_boxes, get_box_tensor

from .recorded_call import recorded_call, take_record

__all__ = ['DenseRows', 'DenseStep', 'DenseHeadAdapter', 'AnchorDeltaAdapter', 'ATSSAdapter',
           'GFLAdapter', 'FCOSAdapter', 'RotatedFCOSAdapter', 'RTMDetAdapter',
           'RotatedRTMDetAdapter', 'levels_to_rows']


def levels_to_rows(maps: Sequence[torch.Tensor], per_position: int) -> torch.Tensor:
    """Per-level (B, A * width, H, W) maps -> (B * sum_l H W A, width): image by image, levels
    in order, mmdet's prior order within a level (position-major, then the A priors)."""
    batch = maps[0].shape[0]
    rows = [m.permute(0, 2, 3, 1).reshape(batch, -1, m.shape[1] // per_position) for m in maps]
    return torch.cat(rows, 1).flatten(0, 1)


@dataclass
class DenseRows:
    """A dense head's predictions as rows (one per prior of every image).

    Attributes:
        cls_logits: (R, C) class logits (sigmoid classification).
        boxes: (R, d) boxes decoded as the head's ``predict_by_feat`` decodes them (d = 4, or
            5 for rotated boxes).
        quality_logits: (R, 1) logits of a quality branch (centerness) or None.
    """
    cls_logits: torch.Tensor
    boxes: torch.Tensor
    quality_logits: Optional[torch.Tensor] = None

    def probabilities(self) -> torch.Tensor:
        """(R, C): the scores the head ranks its detections by."""
        scores = self.cls_logits.sigmoid()
        if self.quality_logits is not None:
            scores = scores * self.quality_logits.sigmoid()
        return scores


@dataclass
class DenseStep:
    """What one step's amplifier losses share: the student head's priors as rows, its standard
    assignment's label weights (R,) and number of positives (0 when no prior of the batch is
    positive, so the loss can tell such a batch apart), and each row's stride (R,)."""
    priors: torch.Tensor
    weights: torch.Tensor
    avg_factor: float
    strides: torch.Tensor


class DenseHeadAdapter:
    """Base of the dense adapters. ``head`` is the student's head: its priors and assignment
    define the rows; the amplifier heads (the teacher's and the amplifier stage's) must give
    the same number of priors per position."""

    def __init__(self, head) -> None:
        self.head = head

    @contextmanager
    def recording(self):
        """Open while the student head computes its loss; by default nothing is recorded and
        :meth:`step` assigns the priors itself."""
        yield

    def amplify(self, loss, head, feats_s: Sequence[torch.Tensor],
                feats_t: Sequence[torch.Tensor], step: DenseStep) -> dict:
        """``loss`` of the amplifier ``head`` run on student features (with gradient to them)
        and on teacher features (without)."""
        student = self.rows(head, feats_s, step)
        with torch.no_grad():
            teacher = self.rows(head, feats_t, step)
        return loss(student_logits=student.cls_logits,
                    student_quality_logits=student.quality_logits,
                    student_boxes=student.boxes, teacher_probs=teacher.probabilities(),
                    teacher_boxes=teacher.boxes, weights=step.weights,
                    avg_factor=step.avg_factor)

    def step(self, feats: Sequence[torch.Tensor], data_samples: list) -> DenseStep:
        """The priors and standard assignment of the student head for this batch (no
        gradient), computed once per step and shared by every amplifier."""
        raise NotImplementedError

    def rows(self, head, feats: Sequence[torch.Tensor], step: DenseStep) -> DenseRows:
        """``head`` (an amplifier) run on ``feats``, its outputs as rows."""
        raise NotImplementedError

    def _per_level_strides(self, feats: Sequence[torch.Tensor], per_position: int,
                           batch: int) -> torch.Tensor:
        strides = [torch.full((f.shape[-2] * f.shape[-1] * per_position, ), float(s[0]),
                              device=f.device)
                   for f, s in zip(feats, self.head.prior_generator.strides)]
        return torch.cat(strides).repeat(batch)


class RecordedAssignment:
    """For adapters whose step reuses the assignment the student head's loss computed this
    step (its ``get_targets`` call, recorded) instead of assigning again: an IoU assignment of
    every anchor (a rotated-box IoU for rotated anchors) is a large part of a small detector's
    step, and a dynamic assignment (RTMDet's) depends on the student's own predictions.
    ``_kept(args, result)`` picks what the step needs from a call."""

    def __init__(self, head) -> None:
        super().__init__(head)
        self._record = None

    @contextmanager
    def recording(self):
        """Record the student head's ``get_targets`` calls while inside."""
        with recorded_call(self.head, 'get_targets', self._kept) as self._record:
            yield

    def _kept(self, args: tuple, result: tuple) -> tuple:
        raise NotImplementedError

    def _assignment(self) -> tuple:
        """What :meth:`_kept` took from this step's (last) ``get_targets`` call."""
        return take_record(self, 'assignment')[-1]


class AnchorDeltaAdapter(RecordedAssignment, DenseHeadAdapter):
    """Anchor heads with box deltas and no quality branch: RetinaNet (``RetinaHead``) and its
    subclasses, mmrotate's rotated RetinaNet (5-number deltas, decoded to rotated boxes)."""

    quality_branch = False

    def step(self, feats, data_samples):
        priors, label_weights, bbox_weights, avg_factor = self._assignment()
        if not any(bool((w > 0).any()) for w in bbox_weights):  # no positive box target
            avg_factor = 0
        weights = torch.cat(list(label_weights), 1).reshape(-1).float()
        return DenseStep(priors, weights, float(avg_factor),
                         self._per_level_strides(feats, self.head.num_base_priors,
                                                 label_weights[0].shape[0]))

    def _kept(self, args, result):
        """The anchors of every image (args[0]: per image, per level; one tensor per image
        once ATSS's ``get_targets`` has concatenated them in place), then the label weights
        and box weights per level (B, n_l) and the number of positives."""
        anchors = [a if isinstance(a, (torch.Tensor, BaseBoxes)) else cat_boxes(a)
                   for a in args[0]]
        priors = torch.cat([get_box_tensor(a) for a in anchors]).detach()
        return (priors, ) + self._weights(result)

    def _weights(self, result: tuple) -> tuple:
        """(label weights, box weights, avg_factor) of ``AnchorHead.get_targets``'s result."""
        _, label_weights, _, bbox_weights, avg_factor = result[:5]
        return label_weights, bbox_weights, avg_factor

    def rows(self, head, feats, step):
        outs = head(tuple(feats))
        per_position = head.num_base_priors
        boxes = head.bbox_coder.decode(step.priors, levels_to_rows(outs[1], per_position))
        quality = levels_to_rows(outs[2], per_position) if self.quality_branch else None
        return DenseRows(levels_to_rows(outs[0], per_position), get_box_tensor(boxes), quality)


class ATSSAdapter(AnchorDeltaAdapter):
    """ATSS (``ATSSHead``): box deltas on anchors, a centerness branch multiplied into the class
    probability; its assignment (adaptive IoU threshold) returns the anchors first."""

    quality_branch = True

    def _weights(self, result):
        _, _, label_weights, _, bbox_weights, avg_factor = result[:6]
        return label_weights, bbox_weights, avg_factor


class GFLAdapter(ATSSAdapter):
    """GFL (``GFLHead``): boxes as discrete distributions of the four side distances (Li et al.,
    NeurIPS 2020), their expectations times the level's stride from the anchor centre; the
    class score is the joint class-quality score (no separate branch)."""

    def rows(self, head, feats, step):
        cls_scores, distributions = head(tuple(feats))
        per_position = head.num_base_priors
        distances = head.integral(levels_to_rows(distributions, per_position))
        boxes = head.bbox_coder.decode(head.anchor_center(step.priors),
                                       distances * step.strides[:, None])
        return DenseRows(levels_to_rows(cls_scores, per_position), boxes)


class FCOSAdapter(DenseHeadAdapter):
    """FCOS (``FCOSHead``): one point per position, four distances (in pixels in eval mode, as
    the frozen amplifiers run) and a centerness branch; its assignment labels points inside a
    box (centre sampling, regress ranges), every point counting."""

    def step(self, feats, data_samples):
        head = self.head
        gt_instances = unpack_gt_instances(data_samples)[0]
        points = head.prior_generator.grid_priors([f.shape[-2:] for f in feats],
                                                  dtype=feats[0].dtype, device=feats[0].device)
        with torch.no_grad():
            labels = head.get_targets(points, gt_instances)[0]
        batch = feats[0].shape[0]
        priors = torch.cat(points).repeat(batch, 1)
        return DenseStep(priors, priors.new_ones(priors.shape[0]),
                         _positives(labels, head.num_classes),
                         self._per_level_strides(feats, 1, batch))

    def rows(self, head, feats, step):
        outs = head(tuple(feats))
        boxes = head.bbox_coder.decode(step.priors, self._box_numbers(head, outs))
        return DenseRows(levels_to_rows(outs[0], 1), get_box_tensor(boxes),
                         levels_to_rows(outs[-1], 1))

    def _box_numbers(self, head, outs) -> torch.Tensor:
        """(R, 4) side distances, the coder's input."""
        return levels_to_rows(outs[1], 1)


class RotatedFCOSAdapter(FCOSAdapter):
    """mmrotate's rotated FCOS (``RotatedFCOSHead``): FCOS with an angle branch, decoded by the
    head's angle coder and appended to the distances (x, y, w, h, angle boxes)."""

    def _box_numbers(self, head, outs):
        return _with_angle(head, levels_to_rows(outs[1], 1), outs[2])


class RTMDetAdapter(RecordedAssignment, DenseHeadAdapter):
    """RTMDet (``RTMDetHead``, ``RTMDetSepBNHead``): one point per position, four distances in
    pixels, sigmoid classification. Its assignment (dynamic soft labels) depends on the
    student's own predictions, so it is the one the student head's loss computed this step
    (its ``get_targets`` call, recorded), not assigned again."""

    def _kept(self, args, result):
        return result[:3]  # the points (B, N, 4), the labels and label weights per level

    def step(self, feats, data_samples):
        anchors, labels, label_weights = self._assignment()
        priors = torch.cat(list(anchors), 1)[..., :2]  # (B, N, 2): x, y (then the stride)
        weights = torch.cat(list(label_weights), 1).reshape(-1).float()
        return DenseStep(priors.reshape(-1, 2), weights,
                         _positives(labels, self.head.num_classes),
                         self._per_level_strides(feats, 1, priors.shape[0]))

    def rows(self, head, feats, step):
        outs = head(tuple(feats))
        boxes = head.bbox_coder.decode(step.priors, self._box_numbers(head, outs))
        return DenseRows(levels_to_rows(outs[0], 1), get_box_tensor(boxes))

    def _box_numbers(self, head, outs) -> torch.Tensor:
        """(R, 4) side distances in pixels, the coder's input."""
        return levels_to_rows(outs[1], 1)


class RotatedRTMDetAdapter(RTMDetAdapter):
    """mmrotate's rotated RTMDet (``RotatedRTMDetHead``, ``RotatedRTMDetSepBNHead``): RTMDet
    with an angle branch, decoded by the head's angle coder and appended to the distances."""

    def _box_numbers(self, head, outs):
        return _with_angle(head, levels_to_rows(outs[1], 1), outs[2])


def _with_angle(head, distances: torch.Tensor, angle_maps) -> torch.Tensor:
    """(R, 5): the distances and the angle the head's ``angle_coder`` decodes, as the rotated
    heads assemble their coder's input."""
    angles = head.angle_coder.decode(levels_to_rows(angle_maps, 1), keepdim=True)
    return torch.cat([distances, angles], -1)


def _positives(labels: Sequence[torch.Tensor], num_classes: int) -> float:
    """The number of foreground labels (mmdet marks background with ``num_classes``)."""
    return float(sum(int(((lv >= 0) & (lv < num_classes)).sum()) for lv in labels))
