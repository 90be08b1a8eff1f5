# RTMDet's head (Lyu et al., "RTMDet", 2022) for the embedded dense small-object set: the
# backbone and FPN of densedet_retinanet_r18w32.py (strides 4 to 64; mmdet's RTMDet pairs the
# head with a CSPNeXt backbone, which the width-matched pair here keeps out of the comparison),
# mmdet's RTMDetSepBNHead with the head and assignment settings of rtmdet_tiny_8xb32-300e_coco.py
# (BN instead of SyncBN).
_base_ = './densedet_retinanet_r18w32.py'
model = dict(
    type='RTMDet',
    use_syncbn=False,
    bbox_head=dict(
        _delete_=True,
        type='RTMDetSepBNHead',
        num_classes=3,
        in_channels={{_base_.fpn_channels}},
        stacked_convs=2,
        feat_channels={{_base_.fpn_channels}},
        anchor_generator=dict(type='MlvlPointGenerator', offset=0, strides=[4, 8, 16, 32, 64]),
        bbox_coder=dict(type='DistancePointBBoxCoder'),
        loss_cls=dict(type='QualityFocalLoss', use_sigmoid=True, beta=2.0, loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0),
        with_objectness=False,
        exp_on_reg=False,
        share_conv=True,
        pred_kernel_size=1,
        norm_cfg=dict(type='BN'),
        act_cfg=dict(type='SiLU', inplace=True)),
    train_cfg=dict(
        _delete_=True,
        assigner=dict(type='DynamicSoftLabelAssigner', topk=13),
        allowed_border=-1,
        pos_weight=-1,
        debug=False))
