# mmdet's stock Faster R-CNN R50-FPN model with a ResNet-18 (torchvision ImageNet weights,
# frozen_stages=1, norm_eval, FPN to 256 channels), as DS2D2's R18 students.
_base_ = 'mmdet::_base_/models/faster-rcnn_r50_fpn.py'
model = dict(
    backbone=dict(
        depth=18, init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet18')),
    neck=dict(in_channels=[64, 128, 256, 512]))
