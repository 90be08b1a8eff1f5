# FCOS (Tian et al., ICCV 2019) for the embedded dense small-object set: the backbone and FPN of
# densedet_retinanet_r18w32.py (strides 4 to 64), mmdet's anchor-free FCOS head (one point per
# position, four side distances, centerness) with the improvements of mmdet's
# fcos_r50-caffe_fpn_gn-head-center-normbbox-centeronreg-giou_1x_coco.py; regress ranges halved
# from the stock ones, as the levels start at stride 4 and the objects are 6-16 px.
_base_ = './densedet_retinanet_r18w32.py'
model = dict(
    type='FCOS',
    bbox_head=dict(
        _delete_=True,
        type='FCOSHead',
        num_classes=3,
        in_channels={{_base_.fpn_channels}},
        stacked_convs=2,
        feat_channels={{_base_.fpn_channels}},
        strides=[4, 8, 16, 32, 64],
        regress_ranges=((-1, 8), (8, 16), (16, 32), (32, 64), (64, 1e8)),
        norm_on_bbox=True,
        centerness_on_reg=True,
        center_sampling=True,
        center_sample_radius=1.5,
        conv_bias=True,
        norm_cfg=dict(type='GN', num_groups=8, requires_grad=True),
        loss_cls=dict(
            type='FocalLoss', use_sigmoid=True, gamma=2.0, alpha=0.25, loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=1.0),
        loss_centerness=dict(type='CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0)),
    train_cfg=None)
