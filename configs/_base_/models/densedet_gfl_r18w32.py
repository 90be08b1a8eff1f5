# GFL (Li et al., "Generalized Focal Loss", NeurIPS 2020) for the embedded dense small-object set:
# the backbone, FPN and anchors of densedet_retinanet_r18w32.py, mmdet's GFL head (joint
# class-quality score, box sides as distributions over reg_max + 1 bins) with the head settings
# of mmdet's gfl_r50_fpn_1x_coco.py and its ATSS assignment.
_base_ = './densedet_atss_r18w32.py'
model = dict(
    type='GFL',
    bbox_head=dict(
        _delete_=True,
        type='GFLHead',
        num_classes=3,
        in_channels={{_base_.fpn_channels}},
        stacked_convs=2,
        feat_channels={{_base_.fpn_channels}},
        anchor_generator={{_base_.model.bbox_head.anchor_generator}},
        loss_cls=dict(type='QualityFocalLoss', use_sigmoid=True, beta=2.0, loss_weight=1.0),
        loss_dfl=dict(type='DistributionFocalLoss', loss_weight=0.25),
        reg_max=16,
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0)))
