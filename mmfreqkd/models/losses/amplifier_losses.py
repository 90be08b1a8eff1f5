"""The prediction losses of DS2D2's knowledge amplifiers (Gao et al., TGRS 2025, Sec. III-C;
docs/methods/ds2d2.md, Implicit stream): a frozen head (the "amplifier") is run on student and
teacher features and the difference of its predictions is distilled, so that feature differences
that matter to the head are magnified. Gradients reach the student's features through the
frozen head."""
from typing import Dict, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.structures.bbox import get_box_tensor

from ...registry import MODELS

__all__ = ['DenseAmplifierLoss', 'RoIAmplifierLoss']


def _flatten_levels(maps: Sequence[torch.Tensor], per_position: Sequence[int]) -> torch.Tensor:
    """Per-level (B, A * width, H, W) head outputs -> (B * sum_l H W A, width): image by
    image, levels in order, mmdet's anchor order within a level (the order of
    ``cat_boxes`` over an image's per-level anchors)."""
    batch = maps[0].shape[0]
    flat = [m.permute(0, 2, 3, 1).reshape(batch, -1, m.shape[1] // a)
            for m, a in zip(maps, per_position)]
    return torch.cat(flat, 1).flatten(0, 1)


def soft_quality_focal_loss(logits: torch.Tensor, targets: torch.Tensor,
                            beta: float) -> torch.Tensor:
    """Element-wise Quality Focal Loss with soft targets (Li et al., "Generalized Focal
    Loss", NeurIPS 2020, Eq. 5): ``BCE(p, t) * |t - sigma(p)|^beta``.

    The same values as mmdet's ``quality_focal_loss_tensor_target`` (tested), written as the
    one formula: mmdet evaluates zero targets and the rest in two branches joined by a boolean
    mask, and a teacher's probabilities are never 0, so its mask selects every element and the
    gather/scatter costs twice the loss itself (on a 800x800 RetinaNet batch, 150 of 220 ms).
    """
    bce = F.binary_cross_entropy_with_logits(logits, targets, reduction='none')
    return bce * (targets - logits.sigmoid()).abs().pow(beta)


@MODELS.register_module()
class DenseAmplifierLoss(nn.Module):
    """The RetinaNet-style amplifier loss, summed over FPN levels (docs/methods/ds2d2.md,
    Implicit stream)::

        L_cls = sum_l sum_anchors label_weight * QFL(cls_s, sigma(cls_t); beta) / avg_factor
        L_reg = sum_l sum_anchors max_c sigma(cls_t) * box_loss(dec(reg_s), dec(reg_t))
                / avg_factor

    with ``dec`` the student head's box coder on its anchors, ``avg_factor`` the number of
    positive anchors of the standard assignment ([code: DS2D2], mmdet's ``avg_factor``: at
    least 1 per image; the algorithm passes 0 for a batch without positives), and QFL the
    Quality Focal Loss with soft targets (Li et al., "Generalized Focal Loss", NeurIPS 2020, Eq. 5:
    ``BCE(p, t) * |sigma(p) - t|^beta`` summed over classes; :func:`soft_quality_focal_loss`),
    the teacher's probabilities as targets. Rotated heads work unchanged with a rotated box
    loss (``box_loss=dict(type='mmrotate.GDLoss', loss_type='kld')``).

    A batch without positive anchors (no boxes, or none the assigner accepts) has nothing to
    normalise by: the official ``max(num_pos, 1)`` then divides sums over every anchor by 1,
    and the loss jumps by two to three orders of magnitude. [our default] There the
    normaliser is the teacher's soft count of positives, ``sum_anchors label_weight *
    max_c sigma(cls_t)`` (at least 1), so ``L_reg`` is a confidence-weighted mean of the box
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

    def forward(self, student: Sequence[Sequence[torch.Tensor]],
                teacher: Sequence[Sequence[torch.Tensor]], anchors: Sequence[torch.Tensor],
                label_weights: Sequence[torch.Tensor], avg_factor: float,
                bbox_coder) -> Dict[str, torch.Tensor]:
        """``student``/``teacher``: the head's ``(cls_scores, bbox_preds)``, per level;
        ``anchors`` (B, n_l, box dim) and ``label_weights`` (B, n_l) per level, from the
        student head's ``get_anchors``/``get_targets``. Returns ``loss_cls`` and ``loss_reg``."""
        cls_s, reg_s = student
        cls_t, reg_t = teacher
        # all levels at once: the sums over anchors of every level share one avg_factor
        per_position = [a.shape[1] // (c.shape[2] * c.shape[3]) for a, c in zip(anchors, cls_s)]
        p, t = _flatten_levels(cls_s, per_position), _flatten_levels(cls_t, per_position)
        flat_anchors = torch.cat([get_box_tensor(a) for a in anchors], 1)
        flat_anchors = flat_anchors.reshape(-1, flat_anchors.shape[-1])
        boxes_s = get_box_tensor(bbox_coder.decode(flat_anchors,
                                                   _flatten_levels(reg_s, per_position)))
        with torch.no_grad():
            boxes_t = get_box_tensor(bbox_coder.decode(flat_anchors,
                                                       _flatten_levels(reg_t, per_position)))
            confidence = t.sigmoid().max(1).values
        weights = torch.cat(list(label_weights), 1).reshape(-1).float()
        avg_factor = float(avg_factor)
        avg_factor = max(avg_factor if avg_factor > 0 else float((confidence * weights).sum()),
                         1.)
        loss_cls = (soft_quality_focal_loss(p, t.sigmoid(), self.beta).sum(1) *
                    weights).sum() / avg_factor
        loss_reg = self.box_loss(boxes_s, boxes_t, weight=confidence, avg_factor=avg_factor)
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
