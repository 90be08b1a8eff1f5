# Small rotated RetinaNet (le90) for the embedded oriented-object set: the dense-set RetinaNet
# (same backbone, 32-channel FPN from stride 4, schedule-free parts) with the stock mmrotate
# rotated-retinanet-rbox-le90 anchor generator, box coder, assigner IoU and rotated NMS, but one
# square anchor per position (the stock nine make each CPU step 4.6x slower: the rotated IoU of
# every anchor with every box dominates; the regression turns the square into the 5-24 px,
# elongated boxes). The assigner's IoU is mmrotate's RBboxOverlaps2D computed only for the
# anchor/box pairs that can overlap (mmfreqkd.PrunedRBboxOverlaps2D: the same values, tested
# equal; on a CPU, where the rotated IoU of every anchor with every box is close to half of a
# step, the steps are faster). Built in mmrotate's scope, hence the `mmdet.` prefixes. Plays the
# teacher; the w16 file is the student.
_base_ = './densedet_retinanet_r18w32.py'
angle_version = 'le90'
model = dict(
    type='mmdet.RetinaNet',
    data_preprocessor=dict(type='mmdet.DetDataPreprocessor', boxtype2tensor=False),
    backbone=dict(type='mmdet.ResNet'),
    neck=dict(type='mmdet.FPN'),
    bbox_head=dict(
        type='mmdet.RetinaHead',
        num_classes=2,
        anchor_generator=dict(
            _delete_=True,
            type='FakeRotatedAnchorGenerator',
            angle_version=angle_version,
            octave_base_scale=2,
            scales_per_octave=1,
            ratios=[1.0],
            strides=[4, 8, 16, 32, 64]),
        bbox_coder=dict(
            _delete_=True,
            type='DeltaXYWHTRBBoxCoder',
            angle_version=angle_version,
            norm_factor=None,
            edge_swap=True,
            proj_xy=True,
            target_means=(.0, .0, .0, .0, .0),
            target_stds=(1.0, 1.0, 1.0, 1.0, 1.0)),
        loss_cls=dict(type='mmdet.FocalLoss'),
        loss_bbox=dict(type='mmdet.L1Loss')),
    train_cfg=dict(
        assigner=dict(
            type='mmdet.MaxIoUAssigner',
            iou_calculator=dict(type='mmfreqkd.PrunedRBboxOverlaps2D')),
        sampler=dict(type='mmdet.PseudoSampler')),
    test_cfg=dict(nms=dict(type='nms_rotated', iou_threshold=0.1), max_per_img=200))
