# mmdet's stock RetinaNet R18-FPN (as configs/retinanet/retinanet_r18_fpn_1x_coco.py): ResNet-18
# with torchvision ImageNet weights, frozen_stages=1, norm_eval, FPN to 256 channels.
_base_ = 'mmdet::_base_/models/retinanet_r50_fpn.py'
model = dict(
    backbone=dict(
        depth=18, init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet18')),
    neck=dict(in_channels=[64, 128, 256, 512]))
