"""The prediction losses of DS2D2's knowledge amplifiers (Gao et al., TGRS 2025, Sec. III-C;
METHODS.md 2.4): a frozen head (the "amplifier") is run on student and teacher features and
the difference of its predictions is distilled, so that feature differences that matter to
the head are magnified. Gradients reach the student's features through the frozen head."""
from typing import Dict, Sequence

import torch
import torch.nn as nn
from mmdet.models.losses.gfocal_loss import quality_focal_loss_tensor_target
from mmdet.structures.bbox import get_box_tensor

from ...registry import MODELS

__all__ = ['DenseAmplifierLoss']


def _flatten(maps: torch.Tensor, width: int) -> torch.Tensor:
    """(B, A * width, H, W) head output -> (B * H * W * A, width), mmdet's anchor order."""
    return maps.permute(0, 2, 3, 1).reshape(-1, width)


@MODELS.register_module()
class DenseAmplifierLoss(nn.Module):
    """The RetinaNet-style amplifier loss, summed over FPN levels (METHODS.md 2.4)::

        L_cls = sum_l sum_anchors label_weight * QFL(cls_s, sigma(cls_t); beta) / avg_factor
        L_reg = sum_l sum_anchors max_c sigma(cls_t) * box_loss(dec(reg_s), dec(reg_t))
                / avg_factor

    with ``dec`` the student head's box coder on its anchors, ``avg_factor`` the number of
    positive anchors of the standard assignment (at least 1), and QFL the Quality Focal Loss
    with soft targets (Li et al., "Generalized Focal Loss", NeurIPS 2020, Eq. 5; mmdet's
    ``quality_focal_loss_tensor_target``: ``BCE(p, t) * |sigma(p) - t|^beta`` summed over
    classes), the teacher's probabilities as targets. Rotated heads work unchanged
    with a rotated box loss (``box_loss=dict(type='mmrotate.RotatedIoULoss')``).

    Args:
        beta: QFL modulating exponent ([code: DS2D2] 1).
        box_loss: config of an mmdet-style box loss ``(pred, target, weight, avg_factor)``
            ([code: DS2D2] GIoU).
        cls_weight, reg_weight: weights of the two terms ([code: DS2D2] 1, 1).
        loss_weight: the amplifier's coefficient (b_F or b_H, METHODS.md 2.5).
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
        avg_factor = max(float(avg_factor), 1.)
        loss_cls = loss_reg = 0.
        for cls_s, reg_s, cls_t, reg_t, level_anchors, weights in zip(
                *student, *teacher, anchors, label_weights):
            per_position = level_anchors.shape[1] // (cls_s.shape[2] * cls_s.shape[3])
            num_classes, encode = cls_s.shape[1] // per_position, reg_s.shape[1] // per_position
            p, t = _flatten(cls_s, num_classes), _flatten(cls_t, num_classes)
            flat_anchors = get_box_tensor(level_anchors).reshape(-1, level_anchors.shape[-1])
            boxes_s = get_box_tensor(bbox_coder.decode(flat_anchors, _flatten(reg_s, encode)))
            with torch.no_grad():
                boxes_t = get_box_tensor(bbox_coder.decode(flat_anchors, _flatten(reg_t, encode)))
                confidence = t.sigmoid().max(1).values
            loss_cls = loss_cls + quality_focal_loss_tensor_target(
                p, t.sigmoid(), weight=weights.reshape(-1).float(), avg_factor=avg_factor,
                beta=self.beta)
            loss_reg = loss_reg + self.box_loss(boxes_s, boxes_t, weight=confidence,
                                                avg_factor=avg_factor)
        return dict(loss_cls=self.loss_weight * self.cls_weight * loss_cls,
                    loss_reg=self.loss_weight * self.reg_weight * loss_reg)
