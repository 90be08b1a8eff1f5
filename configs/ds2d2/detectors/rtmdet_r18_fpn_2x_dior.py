# RTMDet's head on R18-FPN on DIOR, 2x (DS2D2's RTMDet student and its no-KD baseline): the
# backbone, FPN, data and schedule of retinanet_r18_fpn_2x_dior.py (RTMDet's own CSPNeXt backbones
# differ in neck width between sizes, and the amplifiers run the teacher's head on student
# features), mmdet's RTMDetSepBNHead and assignment as in rtmdet_l_8xb32-300e_coco.py
# (20 classes, BN).
_base_ = './retinanet_r18_fpn_2x_dior.py'
model = dict(
    type='RTMDet',
    bbox_head=dict(
        _delete_=True,
        type='RTMDetSepBNHead',
        num_classes=20,
        in_channels=256,
        stacked_convs=2,
        feat_channels=256,
        anchor_generator=dict(type='MlvlPointGenerator', offset=0, strides=[8, 16, 32, 64, 128]),
        bbox_coder=dict(type='DistancePointBBoxCoder'),
        loss_cls=dict(type='QualityFocalLoss', use_sigmoid=True, beta=2.0, loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0),
        with_objectness=False,
        exp_on_reg=True,
        share_conv=True,
        pred_kernel_size=1,
        norm_cfg=dict(type='BN'),
        act_cfg=dict(type='SiLU', inplace=True)),
    train_cfg=dict(
        _delete_=True,
        assigner=dict(type='DynamicSoftLabelAssigner', topk=13),
        allowed_border=-1,
        pos_weight=-1,
        debug=False),
    test_cfg=dict(
        _delete_=True,
        nms_pre=1000,
        min_bbox_size=0,
        score_thr=0.05,
        nms=dict(type='nms', iou_threshold=0.6),
        max_per_img=100))
