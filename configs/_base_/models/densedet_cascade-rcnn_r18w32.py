# Small Cascade R-CNN (Cai and Vasconcelos, CVPR 2018) for the embedded dense small-object set:
# mmdet's stock Cascade R-CNN R50-FPN with the backbone, FPN, RPN and sizes of
# densedet_faster-rcnn_r18w32.py, three 128-wide box heads (IoU 0.5, 0.6, 0.7) for 3 classes.
_base_ = 'mmdet::_base_/models/cascade-rcnn_r50_fpn.py'
width = 32
stage_stds = ([0.1, 0.1, 0.2, 0.2], [0.05, 0.05, 0.1, 0.1], [0.033, 0.033, 0.067, 0.067])
stage_ious = (0.5, 0.6, 0.7)
model = dict(
    data_preprocessor=dict(mean=[127.5, 127.5, 127.5], std=[64.0, 64.0, 64.0]),
    backbone=dict(
        depth=18, base_channels=width, frozen_stages=-1, norm_eval=False, init_cfg=None),
    neck=dict(in_channels=[width, 2 * width, 4 * width, 8 * width], out_channels=64),
    rpn_head=dict(in_channels=64, feat_channels=64, anchor_generator=dict(scales=[2])),
    roi_head=dict(
        bbox_roi_extractor=dict(out_channels=64),
        bbox_head=[
            dict(
                type='Shared2FCBBoxHead',
                in_channels=64,
                fc_out_channels=128,
                roi_feat_size=7,
                num_classes=3,
                bbox_coder=dict(
                    type='DeltaXYWHBBoxCoder', target_means=[0., 0., 0., 0.], target_stds=stds),
                reg_class_agnostic=True,
                loss_cls=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
                loss_bbox=dict(type='SmoothL1Loss', beta=1.0, loss_weight=1.0))
            for stds in stage_stds
        ]),
    train_cfg=dict(
        rpn_proposal=dict(nms_pre=1000, max_per_img=300),
        rcnn=[
            dict(
                assigner=dict(
                    type='MaxIoUAssigner',
                    pos_iou_thr=iou,
                    neg_iou_thr=iou,
                    min_pos_iou=iou,
                    match_low_quality=False,
                    ignore_iof_thr=-1),
                sampler=dict(
                    type='RandomSampler',
                    num=128,
                    pos_fraction=0.25,
                    neg_pos_ub=-1,
                    add_gt_as_proposals=True),
                pos_weight=-1,
                debug=False) for iou in stage_ious
        ]),
    test_cfg=dict(rpn=dict(nms_pre=500, max_per_img=300)))
