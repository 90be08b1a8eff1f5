"""The prediction losses of DS2D2's knowledge amplifiers (Gao et al., TGRS 2025, Sec. III-C;
docs/methods/ds2d2.md, Implicit stream): a frozen head (the "amplifier") is run on student and
teacher features and the difference of its predictions is distilled, so that feature differences
that matter to the head are magnified. Gradients reach the student's features through the
frozen head."""
from typing import Dict, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from ...registry import MODELS

__all__ = ['DenseAmplifierLoss', 'RoIAmplifierLoss']


def soft_quality_focal_loss(logits: torch.Tensor, targets: torch.Tensor, beta: float,
                            quality_logits: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Element-wise Quality Focal Loss with soft targets (Li et al., "Generalized Focal
    Loss", NeurIPS 2020, Eq. 5): ``BCE(p, t) * |t - p|^beta`` with ``p = sigmoid(logits)``, or
    ``sigmoid(logits) * sigmoid(quality_logits)`` for heads whose score multiplies a quality
    (centerness) branch in (ATSS, FCOS), ``log p`` and ``log(1 - p)`` taken from the logits.

    Without a quality branch, the same values as mmdet's ``quality_focal_loss_tensor_target``
    (tested), written as the one formula: mmdet evaluates zero targets and the rest in two
    branches joined by a boolean mask, and a teacher's probabilities are never 0, so its mask
    selects every element and the gather/scatter costs twice the loss itself (on a 800x800
    RetinaNet batch, 150 of 220 ms).
    """
    if quality_logits is None:
        bce = F.binary_cross_entropy_with_logits(logits, targets, reduction='none')
        return bce * (targets - logits.sigmoid()).abs().pow(beta)
    log_p = F.logsigmoid(logits) + F.logsigmoid(quality_logits)
    log_not_p = torch.log(-torch.expm1(log_p.clamp(max=-1e-12)))
    bce = -(targets * log_p + (1 - targets) * log_not_p)
    return bce * (targets - log_p.exp()).abs().pow(beta)


@MODELS.register_module()
class DenseAmplifierLoss(nn.Module):
    """The amplifier loss of dense heads (anchor-based or point-based), on one row per prior
    of every image and level (docs/methods/ds2d2.md, Implicit stream)::

        L_cls = sum_rows label_weight * sum_c QFL(s, p_t; beta) / avg_factor
        L_reg = sum_rows max_c p_t * box_loss(box_s, box_t) / avg_factor

    with ``p_t`` the teacher's class probabilities, ``box_s``/``box_t`` the boxes the head
    decodes from the student's / teacher's outputs (a head adapter, :mod:`mmfreqkd.models.
    head_adapters`, does the decoding), ``avg_factor`` the number of positive priors of the
    student head's standard assignment ([code: DS2D2], mmdet's ``avg_factor``: at least 1 per
    image; 0 for a batch without positives), and QFL the Quality Focal Loss with soft targets
    (Li et al., "Generalized Focal Loss", NeurIPS 2020, Eq. 5; :func:`soft_quality_focal_loss`),
    the student's score the head's own (class probability, times a centerness for ATSS and
    FCOS). Rotated heads work unchanged with a rotated box loss
    (``box_loss=dict(type='mmrotate.GDLoss', loss_type='kld')``).

    A batch without positive anchors (no boxes, or none the assigner accepts) has nothing to
    normalise by: the official ``max(num_pos, 1)`` then divides sums over every anchor by 1,
    and the loss jumps by two to three orders of magnitude. [our default] There the
    normaliser is the teacher's soft count of positives, ``sum_anchors label_weight *
    max_c p_t`` (at least 1), so ``L_reg`` is a confidence-weighted mean of the box
    loss and both terms keep their usual scale.

    Args:
        beta: QFL modulating exponent ([code: DS2D2] 1).
        box_loss: config of an mmdet-style box loss ``(pred, target, weight, avg_factor)``
            ([code: DS2D2] GIoU).
        cls_weight, reg_weight: weights of the two terms ([code: DS2D2] 1, 1).
        loss_weight: the amplifier's coefficient (b_F or b_H, docs/methods/ds2d2.md, Coefficients).
    """

    def __init__(self, beta: float = 1.0, box_loss: dict = None, cls_weight: float = 1.0,
                 reg_weight: float = 1.0, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.beta, self.cls_weight, self.reg_weight = beta, cls_weight, reg_weight
        self.loss_weight = loss_weight
        self.box_loss = MODELS.build(box_loss or dict(type='mmdet.GIoULoss', loss_weight=1.0))

    def forward(self, *, student_logits: torch.Tensor, student_boxes: torch.Tensor,
                teacher_probs: torch.Tensor, teacher_boxes: torch.Tensor,
                weights: torch.Tensor, avg_factor: float,
                student_quality_logits: Optional[torch.Tensor] = None
                ) -> Dict[str, torch.Tensor]:
        """One row per prior (anchor or point) of every image: the student's class logits
        (R, C) (and quality logits (R, 1), if its head has that branch) and decoded boxes
        (R, d); the teacher's class probabilities (R, C) and decoded boxes; the rows' label
        weights (R,) and the number of positive priors of the standard assignment (0: none).
        Returns ``loss_cls`` and ``loss_reg``."""
        teacher_probs, teacher_boxes = teacher_probs.detach(), teacher_boxes.detach()
        confidence = teacher_probs.max(1).values
        weights = weights.float()
        avg_factor = float(avg_factor)
        avg_factor = max(avg_factor if avg_factor > 0 else float((confidence * weights).sum()),
                         1.)
        loss_cls = (soft_quality_focal_loss(student_logits, teacher_probs, self.beta,
                                            student_quality_logits).sum(1) *
                    weights).sum() / avg_factor
        loss_reg = self.box_loss(student_boxes, teacher_boxes, weight=confidence,
                                 avg_factor=avg_factor)
        return dict(loss_cls=self.loss_weight * self.cls_weight * loss_cls,
                    loss_reg=self.loss_weight * self.reg_weight * loss_reg)


@MODELS.register_module()
class RoIAmplifierLoss(nn.Module):
    """The Faster R-CNN-style amplifier loss on shared RoIs (docs/methods/ds2d2.md, Implicit
    stream)::

        L_cls = cls_weight * mean_r( f_r * T^2 * sum_c softmax(t_r/T)_c log(softmax(t_r/T)_c
                                                                    / softmax(s_r/T)_c) )
        L_reg = sum_r w_r |d_s(r, c*_r) - d_t(r, c*_r)|_1 / (D sum_r w_r)

    with ``c*_r`` the teacher's arg-max foreground class of RoI r, ``w_r`` its probability and
    ``d(r, c)`` the class-specific box deltas (class-agnostic heads: the one set) of D numbers
    (the head's ``bbox_coder.encode_size``: 4 in mmdet, [code: DS2D2]; 5 for mmrotate's
    rotated RoI heads, e.g. oriented R-CNN, whose deltas add the angle).

    ``f_r`` reproduces the official code ([code: DS2D2]), which passes the number of sampled
    RoIs in the *weight* slot of its KL loss, so every RoI's term is multiplied by it (this is
    why its configs use tiny implicit weights, 1e-5). ``official_avg_factor=False`` sets
    ``f_r = 1``, a plain mean; rescale ``loss_weight`` by the RoI count (e.g. 1024 for 2 images
    x 512) to keep the official magnitude.

    Args:
        temperature: T ([code: DS2D2] 3).
        cls_weight: weight of the KL term ([code: DS2D2] 0.5).
        reg_weight: weight of the L1 term ([code: DS2D2] 1).
        official_avg_factor: see above ([code: DS2D2] True).
        loss_weight: the amplifier's coefficient (b_F or b_H, docs/methods/ds2d2.md, Coefficients).
    """

    def __init__(self, temperature: float = 3.0, cls_weight: float = 0.5,
                 reg_weight: float = 1.0, official_avg_factor: bool = True,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.temperature, self.cls_weight, self.reg_weight = temperature, cls_weight, reg_weight
        self.official_avg_factor, self.loss_weight = official_avg_factor, loss_weight

    def forward(self, student: dict, teacher: dict, box_dim: int = 4) -> Dict[str, torch.Tensor]:
        """``student``/``teacher``: a RoI head's ``_bbox_forward`` outputs on the same RoIs
        (``cls_score`` (N, C + 1), ``bbox_pred`` (N, D C) or (N, D), D = ``box_dim``). No RoI:
        zero losses."""
        s_cls, t_cls = student['cls_score'].float(), teacher['cls_score'].float().detach()
        s_reg, t_reg = student['bbox_pred'].float(), teacher['bbox_pred'].float().detach()
        rois = s_cls.shape[0]
        if rois == 0:
            zero = s_cls.sum() * 0 + s_reg.sum() * 0
            return dict(loss_cls=zero, loss_reg=zero)
        t = self.temperature
        target = F.softmax(t_cls / t, 1)
        kl = (target * (F.log_softmax(t_cls / t, 1) - F.log_softmax(s_cls / t, 1))).sum(1)
        kl = kl * t * t * (rois if self.official_avg_factor else 1)
        confidence, best = F.softmax(t_cls, 1)[:, :-1].max(1)
        if s_reg.shape[1] != box_dim:  # class-specific deltas: the teacher's best class
            if s_reg.shape[1] != box_dim * (s_cls.shape[1] - 1):
                raise ValueError(f'RoIAmplifierLoss: bbox_pred of shape {tuple(s_reg.shape)} '
                                 f'is neither (N, {box_dim}) nor (N, {box_dim} x '
                                 f'{s_cls.shape[1] - 1} classes)')
            index = torch.arange(rois, device=s_reg.device)
            s_reg, t_reg = (r.view(rois, -1, box_dim)[index, best] for r in (s_reg, t_reg))
        norm = (box_dim * confidence.sum()).clamp(min=torch.finfo(confidence.dtype).eps)
        l1 = ((s_reg - t_reg).abs().sum(1) * confidence).sum() / norm
        return dict(loss_cls=self.loss_weight * self.cls_weight * kl.mean(),
                    loss_reg=self.loss_weight * self.reg_weight * l1)
