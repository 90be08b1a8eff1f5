# ATSS (Zhang et al., CVPR 2020) for the embedded dense small-object set: the backbone, FPN and
# anchors of densedet_retinanet_r18w32.py, mmdet's ATSS head (adaptive IoU threshold, GIoU box
# loss, centerness branch) with the head settings of mmdet's atss_r50_fpn_1x_coco.py.
_base_ = './densedet_retinanet_r18w32.py'
model = dict(
    type='ATSS',
    bbox_head=dict(
        _delete_=True,
        type='ATSSHead',
        num_classes=3,
        in_channels={{_base_.fpn_channels}},
        stacked_convs=2,
        feat_channels={{_base_.fpn_channels}},
        anchor_generator={{_base_.model.bbox_head.anchor_generator}},
        bbox_coder=dict(
            type='DeltaXYWHBBoxCoder',
            target_means=[.0, .0, .0, .0],
            target_stds=[0.1, 0.1, 0.2, 0.2]),
        loss_cls=dict(
            type='FocalLoss', use_sigmoid=True, gamma=2.0, alpha=0.25, loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0),
        loss_centerness=dict(type='CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0)),
    train_cfg=dict(
        _delete_=True,
        assigner=dict(type='ATSSAssigner', topk=9),
        allowed_border=-1,
        pos_weight=-1,
        debug=False))
