# Rotated FCOS (le90) for the embedded oriented-object set: the backbone and FPN of
# rotdet_rotated_retinanet_r18w32.py (strides 4 to 64), mmrotate's RotatedFCOSHead with the head
# settings of rotated_fcos_r50_fpn_1x_dota_le90.py, regress ranges halved from mmdet's FCOS ones
# as the levels start at stride 4 (as densedet_fcos_r18w32.py), and mmrotate's Gaussian Wasserstein
# box loss in place of RotatedIoULoss (mmcv's differentiable rotated IoU has no CPU kernel; KLD
# is undefined for the zero-size boxes clamped distances can give). In mmrotate's scope.
_base_ = './rotdet_rotated_retinanet_r18w32.py'
model = dict(
    type='mmdet.FCOS',
    bbox_head=dict(
        _delete_=True,
        type='RotatedFCOSHead',
        num_classes=2,
        in_channels={{_base_.fpn_channels}},
        stacked_convs=2,
        feat_channels={{_base_.fpn_channels}},
        strides=[4, 8, 16, 32, 64],
        regress_ranges=((-1, 8), (8, 16), (16, 32), (32, 64), (64, 1e8)),
        center_sampling=True,
        center_sample_radius=1.5,
        norm_on_bbox=True,
        centerness_on_reg=True,
        use_hbbox_loss=False,
        scale_angle=True,
        norm_cfg=dict(type='GN', num_groups=8, requires_grad=True),
        bbox_coder=dict(type='DistanceAnglePointCoder', angle_version={{_base_.angle_version}}),
        loss_cls=dict(
            type='mmdet.FocalLoss', use_sigmoid=True, gamma=2.0, alpha=0.25, loss_weight=1.0),
        loss_bbox=dict(type='GDLoss', loss_type='gwd', fun='log1p', tau=1.0, loss_weight=1.0),
        loss_angle=None,
        loss_centerness=dict(type='mmdet.CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0)),
    train_cfg=None)
