# Small Faster R-CNN for the embedded dense small-object set: mmdet's stock Faster R-CNN R50-FPN
# model with the dense-set RetinaNet's backbone (ResNet-18 at half width, from scratch) and
# 64-channel FPN, 4-px RPN anchors at stride 4 (scale 2) for 6-16 px objects, a 128-wide box
# head, 3 classes and fewer proposals/RoIs for 128x128 images. Plays the teacher; the w16 file
# is the student (its FPN and heads keep this width, as R18-FPN and R101-FPN both give 256).
_base_ = 'mmdet::_base_/models/faster-rcnn_r50_fpn.py'
width = 32
model = dict(
    data_preprocessor=dict(mean=[127.5, 127.5, 127.5], std=[64.0, 64.0, 64.0]),
    backbone=dict(
        depth=18, base_channels=width, frozen_stages=-1, norm_eval=False, init_cfg=None),
    neck=dict(in_channels=[width, 2 * width, 4 * width, 8 * width], out_channels=64),
    rpn_head=dict(in_channels=64, feat_channels=64, anchor_generator=dict(scales=[2])),
    roi_head=dict(
        bbox_roi_extractor=dict(out_channels=64),
        bbox_head=dict(in_channels=64, fc_out_channels=128, num_classes=3)),
    train_cfg=dict(
        rpn_proposal=dict(nms_pre=1000, max_per_img=300),
        rcnn=dict(sampler=dict(num=128))),
    test_cfg=dict(rpn=dict(nms_pre=500, max_per_img=300)))
