# Small oriented R-CNN (le90) for the embedded oriented-object set: the dense-set Faster R-CNN
# (ResNet-18 at half width from scratch, 64-channel FPN, 4-px anchors at stride 4, fewer
# proposals/RoIs, a 128-wide box head) turned into mmrotate's stock
# oriented-rcnn-le90_r50_fpn_1x_dota.py model: oriented RPN with midpoint-offset coder, rotated
# RoIAlign, class-agnostic rotated box deltas, rotated IoUs and NMS. Built in mmrotate's scope
# (the mmdet base sets mmdet's), hence the `mmdet.` prefixes. Plays the teacher; the w16 file
# is the student.
_base_ = './densedet_faster-rcnn_r18w32.py'
angle_version = 'le90'
model = dict(
    _scope_='mmrotate',
    type='mmdet.FasterRCNN',
    data_preprocessor=dict(type='mmdet.DetDataPreprocessor', boxtype2tensor=False),
    backbone=dict(type='mmdet.ResNet'),
    neck=dict(type='mmdet.FPN'),
    rpn_head=dict(
        type='OrientedRPNHead',
        anchor_generator=dict(type='mmdet.AnchorGenerator', use_box_type=True),
        bbox_coder=dict(
            _delete_=True,
            type='MidpointOffsetCoder',
            angle_version=angle_version,
            target_means=[0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            target_stds=[1.0, 1.0, 1.0, 1.0, 0.5, 0.5]),
        loss_cls=dict(type='mmdet.CrossEntropyLoss'),
        loss_bbox=dict(_delete_=True, type='mmdet.SmoothL1Loss', beta=1 / 9, loss_weight=1.0)),
    roi_head=dict(
        type='mmdet.StandardRoIHead',
        bbox_roi_extractor=dict(
            type='RotatedSingleRoIExtractor',
            roi_layer=dict(
                _delete_=True, type='RoIAlignRotated', out_size=7, sample_num=2,
                clockwise=True)),
        bbox_head=dict(
            type='mmdet.Shared2FCBBoxHead',
            num_classes=2,
            predict_box_type='rbox',
            reg_class_agnostic=True,
            reg_predictor_cfg=dict(type='mmdet.Linear'),
            cls_predictor_cfg=dict(type='mmdet.Linear'),
            bbox_coder=dict(
                _delete_=True,
                type='DeltaXYWHTRBBoxCoder',
                angle_version=angle_version,
                norm_factor=None,
                edge_swap=True,
                proj_xy=True,
                target_means=(.0, .0, .0, .0, .0),
                target_stds=(0.1, 0.1, 0.2, 0.2, 0.1)),
            loss_cls=dict(type='mmdet.CrossEntropyLoss'),
            loss_bbox=dict(_delete_=True, type='mmdet.SmoothL1Loss', beta=1.0,
                           loss_weight=1.0))),
    train_cfg=dict(
        rpn=dict(
            assigner=dict(type='mmdet.MaxIoUAssigner',
                          iou_calculator=dict(type='RBbox2HBboxOverlaps2D')),
            sampler=dict(type='mmdet.RandomSampler')),
        rpn_proposal=dict(nms=dict(type='nms', iou_threshold=0.8)),
        rcnn=dict(
            assigner=dict(type='mmdet.MaxIoUAssigner',
                          iou_calculator=dict(type='RBboxOverlaps2D')),
            sampler=dict(type='mmdet.RandomSampler'))),
    test_cfg=dict(
        rpn=dict(nms=dict(type='nms', iou_threshold=0.8)),
        rcnn=dict(nms=dict(type='nms_rotated', iou_threshold=0.1), max_per_img=200)))
