# Rotated RTMDet's head (le90) on R18-FPN on DOTA-v1.0 (OBB), 1x (DS2D2's rotated RTMDet
# student): the backbone, FPN, data and schedule of rotated-retinanet-rbox-le90_r18_fpn_1x_dota.py
# with mmrotate's RotatedRTMDetSepBNHead and assignment as in rotated_rtmdet_l-3x-dota.py (BN).
_base_ = './rotated-retinanet-rbox-le90_r18_fpn_1x_dota.py'
angle_version = 'le90'
model = dict(
    type='mmdet.RTMDet',
    bbox_head=dict(
        _delete_=True,
        type='RotatedRTMDetSepBNHead',
        num_classes=15,
        in_channels=256,
        stacked_convs=2,
        feat_channels=256,
        angle_version=angle_version,
        anchor_generator=dict(
            type='mmdet.MlvlPointGenerator', offset=0, strides=[8, 16, 32, 64, 128]),
        bbox_coder=dict(type='DistanceAnglePointCoder', angle_version=angle_version),
        loss_cls=dict(
            type='mmdet.QualityFocalLoss', use_sigmoid=True, beta=2.0, loss_weight=1.0),
        loss_bbox=dict(type='RotatedIoULoss', mode='linear', loss_weight=2.0),
        with_objectness=False,
        exp_on_reg=True,
        share_conv=True,
        pred_kernel_size=1,
        use_hbbox_loss=False,
        scale_angle=False,
        loss_angle=None,
        norm_cfg=dict(type='BN'),
        act_cfg=dict(type='SiLU')),
    train_cfg=dict(
        _delete_=True,
        assigner=dict(
            type='mmdet.DynamicSoftLabelAssigner',
            iou_calculator=dict(type='RBboxOverlaps2D'),
            topk=13),
        allowed_border=-1,
        pos_weight=-1,
        debug=False),
    test_cfg=dict(
        _delete_=True,
        nms_pre=2000,
        min_bbox_size=0,
        score_thr=0.05,
        nms=dict(type='nms_rotated', iou_threshold=0.1),
        max_per_img=2000))
