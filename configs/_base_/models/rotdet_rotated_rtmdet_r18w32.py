# Rotated RTMDet's head (le90) for the embedded oriented-object set: the backbone and FPN of
# rotdet_rotated_retinanet_r18w32.py (strides 4 to 64), mmrotate's RotatedRTMDetSepBNHead with
# the head and assignment settings of rotated_rtmdet_l-3x-dota.py (BN instead of SyncBN; mmrotate's
# Gaussian Wasserstein box loss in place of RotatedIoULoss, whose differentiable rotated IoU has
# no CPU kernel in mmcv). In mmrotate's scope.
_base_ = './rotdet_rotated_retinanet_r18w32.py'
model = dict(
    type='mmdet.RTMDet',
    use_syncbn=False,
    bbox_head=dict(
        _delete_=True,
        type='RotatedRTMDetSepBNHead',
        num_classes=2,
        in_channels={{_base_.fpn_channels}},
        stacked_convs=2,
        feat_channels={{_base_.fpn_channels}},
        angle_version={{_base_.angle_version}},
        anchor_generator=dict(
            type='mmdet.MlvlPointGenerator', offset=0, strides=[4, 8, 16, 32, 64]),
        bbox_coder=dict(type='DistanceAnglePointCoder', angle_version={{_base_.angle_version}}),
        loss_cls=dict(
            type='mmdet.QualityFocalLoss', use_sigmoid=True, beta=2.0, loss_weight=1.0),
        loss_bbox=dict(type='GDLoss', loss_type='gwd', fun='log1p', tau=1.0, loss_weight=2.0),
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
        debug=False))
